import { HttpApiBuilder } from "@effect/platform"
import { Effect, Layer } from "effect"
import * as Repos from "../../../ports/entity-repository.js"
import { SyncApi } from "../api.js"
import { crudHandlers } from "./crud.js"

const DiningServicesLive = HttpApiBuilder.group(
  SyncApi,
  "diningServices",
  (h) =>
    Effect.map(
      crudHandlers(Repos.DiningServiceRepository, "dining service"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
          .handle("remove", ops.remove)
    )
)

const OffersLive = HttpApiBuilder.group(
  SyncApi,
  "offers",
  (h) =>
    Effect.map(
      crudHandlers(Repos.OfferRepository, "offer"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
          .handle("remove", ops.remove)
    )
)

const RoomsLive = HttpApiBuilder.group(
  SyncApi,
  "rooms",
  (h) =>
    Effect.map(
      crudHandlers(Repos.DiningRoomRepository, "room"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
          .handle("remove", ops.remove)
    )
)

const TablesLive = HttpApiBuilder.group(
  SyncApi,
  "tables",
  (h) =>
    Effect.map(
      crudHandlers(Repos.DiningTableRepository, "table"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
          .handle("remove", ops.remove)
    )
)

const MenuItemsLive = HttpApiBuilder.group(
  SyncApi,
  "menuItems",
  (h) =>
    Effect.map(
      crudHandlers(Repos.MenuItemRepository, "menu item"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
          .handle("remove", ops.remove)
    )
)

const CustomersLive = HttpApiBuilder.group(
  SyncApi,
  "customers",
  (h) =>
    Effect.map(
      crudHandlers(Repos.CustomerRepository, "customer"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
          .handle("remove", ops.remove)
    )
)

const ReservationsLive = HttpApiBuilder.group(
  SyncApi,
  "reservations",
  (h) =>
    Effect.map(
      crudHandlers(Repos.ReservationRepository, "reservation"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
    )
)

const OrdersLive = HttpApiBuilder.group(
  SyncApi,
  "orders",
  (h) =>
    Effect.map(
      crudHandlers(Repos.OrderRepository, "order"),
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
    )
)

export const ResourcesLive = Layer.mergeAll(
  DiningServicesLive,
  OffersLive,
  RoomsLive,
  TablesLive,
  MenuItemsLive,
  CustomersLive,
  ReservationsLive,
  OrdersLive
)

import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect, Layer } from "effect"
import * as Repos from "../../../ports/entity-repository.js"
import { SyncApi } from "../api.js"
import { crudHandlers } from "./crud.js"

/**
 * Each resource group's handlers, by group name: the HttpApi routes below and the write ingress
 * (`resource-write-ingress.ts`) run the same ones.
 */
export const resourceHandlers = {
  diningServices: crudHandlers(Repos.DiningServiceRepository, "dining service"),
  offers: crudHandlers(Repos.OfferRepository, "offer"),
  rooms: crudHandlers(Repos.DiningRoomRepository, "room"),
  tables: crudHandlers(Repos.DiningTableRepository, "table"),
  menuItems: crudHandlers(Repos.MenuItemRepository, "menu item"),
  customers: crudHandlers(Repos.CustomerRepository, "customer"),
  reservations: crudHandlers(Repos.ReservationRepository, "reservation"),
  orders: crudHandlers(Repos.OrderRepository, "order")
}

const DiningServicesLive = HttpApiBuilder.group(
  SyncApi,
  "diningServices",
  (h) =>
    Effect.map(
      resourceHandlers.diningServices,
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
      resourceHandlers.offers,
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
      resourceHandlers.rooms,
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
      resourceHandlers.tables,
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
      resourceHandlers.menuItems,
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
      resourceHandlers.customers,
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
      resourceHandlers.reservations,
      (ops) =>
        h.handle("list", ops.list).handle("get", ops.get).handle("create", ops.create).handle("update", ops.update)
    )
)

const OrdersLive = HttpApiBuilder.group(
  SyncApi,
  "orders",
  (h) =>
    Effect.map(
      resourceHandlers.orders,
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

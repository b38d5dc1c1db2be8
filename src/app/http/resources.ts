import * as E from "../../domain/entities.js"
import { deletableResourceGroup, resourceGroup } from "./crud.js"

export const DiningServicesApi = deletableResourceGroup("diningServices", "/api/dining-services", E.diningService)
export const OffersApi = deletableResourceGroup("offers", "/api/offers", E.offer)
export const RoomsApi = deletableResourceGroup("rooms", "/api/rooms", E.diningRoom)
export const TablesApi = deletableResourceGroup("tables", "/api/tables", E.diningTable)
export const MenuItemsApi = deletableResourceGroup("menuItems", "/api/menu-items", E.menuItem)
export const CustomersApi = deletableResourceGroup("customers", "/api/customers", E.customer)
/** Reservations and orders are never deleted: they are cancelled, and the platforms told. */
export const ReservationsApi = resourceGroup("reservations", "/api/reservations", {
  ...E.reservation,
  Entity: E.Reservation
})
export const OrdersApi = resourceGroup("orders", "/api/orders", { ...E.order, Entity: E.Order })

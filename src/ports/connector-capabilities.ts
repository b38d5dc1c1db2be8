import { Effect, type Option } from "effect"
import type {
  AvailabilitySlot,
  CustomerSyncDTO,
  DiningRoomSyncDTO,
  MenuSyncDTO,
  OfferSyncDTO,
  OrderSyncDTO,
  ReservationSyncDTO,
  ServiceSyncDTO,
  SyncEntityResult,
  TableSyncDTO,
  WebhookEvent
} from "../domain/dtos.js"
import type { EntityType, Platform } from "../domain/ids.js"
import type { OrderStatus } from "../domain/status.js"
import { type ConnectorError, PlatformPermanentError } from "./connector-errors.js"

export interface ReservationRecord {
  readonly externalId: string
  readonly reservation: ReservationSyncDTO
  /** When the platform last changed the record, if it says so. */
  readonly updatedAt?: string | undefined
}

export interface CreateOptions {
  /**
   * The caller knows no earlier attempt can have created this booking (first try of its job), so
   * the look-up by reference may be skipped: one request instead of two against rate limits.
   */
  readonly knownAbsent?: boolean | undefined
}

export interface ReservationCapability {
  /** Idempotent: a booking already carrying `dto.externalReferenceId` is returned, not duplicated. */
  readonly create: (dto: ReservationSyncDTO, options?: CreateOptions) => Effect.Effect<SyncEntityResult, ConnectorError>
  /** The booking the platform holds for our local reservation id, if any. */
  readonly findByReference: (localId: string) => Effect.Effect<Option.Option<SyncEntityResult>, ConnectorError>
  readonly get: (externalId: string) => Effect.Effect<ReservationRecord, ConnectorError>
  readonly update: (externalId: string, dto: ReservationSyncDTO) => Effect.Effect<SyncEntityResult, ConnectorError>
  readonly cancel: (externalId: string, reason?: string) => Effect.Effect<void, ConnectorError>
  /** Idempotent from the caller's view, even where the platform's endpoint toggles. */
  readonly checkIn?: (externalId: string) => Effect.Effect<void, ConnectorError>
  readonly checkOut?: (externalId: string) => Effect.Effect<void, ConnectorError>
  /**
   * What the platform still lacks to create a booking for this guest (TheFork: an e-mail, unless
   * it knows the phone number); absent where name and phone are enough.
   */
  readonly missingGuestDetails?: (guest: GuestContact) => Effect.Effect<ReadonlyArray<GuestDetail>, ConnectorError>
}

/** How a booking reaches its guest, as a platform's create reads it. */
export interface GuestContact {
  readonly customerPhone: string
  readonly customerEmail?: string | undefined
}

/** A guest's detail a platform may require to book them. */
export type GuestDetail = "customerEmail"

/** An external record paired with its id, as pulled from a platform (backfill, R-10.1). */
export interface PulledRecord<A> {
  readonly externalId: string
  readonly data: A
}

export interface FloorPlanCapability {
  readonly pullDiningRooms: () => Effect.Effect<ReadonlyArray<PulledRecord<DiningRoomSyncDTO>>, ConnectorError>
  readonly pullTables: () => Effect.Effect<ReadonlyArray<PulledRecord<TableSyncDTO>>, ConnectorError>
  readonly pullServices: () => Effect.Effect<ReadonlyArray<PulledRecord<ServiceSyncDTO>>, ConnectorError>
}

export interface OfferPullCapability {
  /** `data.localId` is empty: the platform does not know our ids; backfill matches by name. */
  readonly pullOffers: () => Effect.Effect<ReadonlyArray<PulledRecord<OfferSyncDTO>>, ConnectorError>
}

export interface OrderCapability {
  readonly get: (
    externalId: string
  ) => Effect.Effect<{ readonly externalId: string; readonly order: OrderSyncDTO }, ConnectorError>
  readonly updateStatus: (externalId: string, status: OrderStatus) => Effect.Effect<void, ConnectorError>
  /**
   * Tells the platform the order reached our system (Deliveroo `sync_status`); a `failureReason`
   * reports that it could not be taken. Where absent, accepting is the acknowledgement.
   */
  readonly acknowledge?: (externalId: string, failureReason?: string) => Effect.Effect<void, ConnectorError>
}

/** An offer a menu push left out, and why: the engine logs it `skipped`, never silently dropped. */
export interface UnpublishedOffer {
  readonly localId: string
  readonly reason: string
}

export interface MenuPushResult {
  readonly unpublishedOffers: ReadonlyArray<UnpublishedOffer>
}

export interface MenuCapability {
  /** Whole-menu replace, as the delivery platforms define it; formulas travel as bundles. */
  readonly push: (menu: MenuSyncDTO) => Effect.Effect<MenuPushResult, ConnectorError>
  readonly pull: () => Effect.Effect<MenuSyncDTO, ConnectorError>
  /** One item's price or availability without a whole upload, where the platform allows it. */
  readonly updateItem?: (update: MenuItemUpdate) => Effect.Effect<void, ConnectorError>
}

/** A sparse change to one pushed item, named by our local id; absent fields stay as they are. */
export interface MenuItemUpdate {
  readonly localId: string
  readonly price?: number | undefined
  readonly currency?: string | undefined
  readonly isAvailable?: boolean | undefined
}

export type StoreStatus = "open" | "paused"

/** A store's status as read, and why it takes no orders when the platform says (its own code). */
export interface StoreReading {
  readonly status: StoreStatus
  readonly reason?: string
}

/** Whether the platform takes orders for the restaurant right now. */
export interface StoreCapability {
  readonly status: () => Effect.Effect<StoreReading, ConnectorError>
  /** `until` (ISO 8601 instant) ends a pause by itself where the platform supports it. */
  readonly setStatus: (status: StoreStatus, until?: string) => Effect.Effect<void, ConnectorError>
}

/** Customers the platform keeps (the design's `pullCustomers`); `data` is in our terms. */
export interface CustomerCapability {
  readonly pullCustomers: () => Effect.Effect<ReadonlyArray<PulledRecord<CustomerSyncDTO>>, ConnectorError>
}

/** A span of the restaurant's online booking opened or closed, in its local time. */
export interface AvailabilityWindow {
  /** YYYY-MM-DD, restaurant-local. */
  readonly date: string
  /** HH:MM, restaurant-local; `endTime` absent means the one slot at `startTime`. */
  readonly startTime: string
  readonly endTime?: string | undefined
  readonly isOpen: boolean
}

/** The design's `pushAvailability`: the platform sells only what we open. */
export interface AvailabilityPushCapability {
  readonly pushAvailability: (windows: ReadonlyArray<AvailabilityWindow>) => Effect.Effect<void, ConnectorError>
}

export interface PollingCapability {
  /** the same events a webhook would carry; ids are stable per record state, so re-polling dedupes. */
  readonly recentChanges: (sinceMinutes: number) => Effect.Effect<ReadonlyArray<WebhookEvent>, ConnectorError>
}

export interface Capabilities {
  readonly reservations: ReservationCapability
  readonly floorPlan: FloorPlanCapability
  readonly offers: OfferPullCapability
  readonly orders: OrderCapability
  readonly menu: MenuCapability
  readonly polling: PollingCapability
  readonly store: StoreCapability
  readonly customers: CustomerCapability
  readonly availabilityPush: AvailabilityPushCapability
}

/**
 * The connector methods of the design (R-4.1, sync-architecture.fr.md "Interface PlatformConnector")
 * and, per platform, whether its API offers them: `supported` from its public documentation,
 * `assumed` on an undocumented reading (the simulator enforces the reading), `not_offered` when no
 * public API has it; the engine then logs `skipped` with "platform has no …". The README's
 * capability matrix is this table (a test compares them).
 */
export const capabilityNames = [
  "reservations",
  "availability",
  "orders",
  "menu",
  "offerPush",
  "offerPull",
  "floorPlanPull",
  "floorPlanPush",
  "customerSync",
  "customerPull",
  "availabilityPush",
  "store"
] as const
export type CapabilityName = typeof capabilityNames[number]
export type CapabilitySupport = "supported" | "assumed" | "not_offered"
export type CapabilityRow = Readonly<Record<CapabilityName, CapabilitySupport>>

/**
 * What a config syncs when it names nothing: the bookings or the orders its platform carries, so a
 * marketplace's orders accepted here reach it. Never the menu: an upload replaces the platform's
 * whole menu, which only an operator who means it should ask for.
 */
export const defaultSyncEntities = (row: CapabilityRow): ReadonlyArray<EntityType> => {
  const carried: Array<EntityType> = []
  if (row.reservations !== "not_offered") carried.push("reservation")
  if (row.orders !== "not_offered") carried.push("order")
  return carried.length === 0 ? ["reservation"] : carried
}

/** A row with every capability `not_offered` but those named. */
export const capabilityRow = (
  offered: Partial<Record<CapabilityName, Exclude<CapabilitySupport, "not_offered">>>
): CapabilityRow =>
  Object.fromEntries(capabilityNames.map((name) => [name, offered[name] ?? "not_offered"])) as CapabilityRow

/**
 * one platform account of one restaurant. Optional capabilities are optional members, so
 * code that uses one must first prove it is there (`requireCapability`).
 */
export interface PlatformConnector extends Partial<Capabilities> {
  readonly platform: Platform
  /** Checks the credentials against the platform. */
  readonly authenticate: () => Effect.Effect<void, ConnectorError>
  /** `date` is restaurant-local YYYY-MM-DD. */
  readonly availability: (
    date: string,
    partySize: number
  ) => Effect.Effect<ReadonlyArray<AvailabilitySlot>, ConnectorError>
}

export const requireCapability = <K extends keyof Capabilities>(
  connector: PlatformConnector,
  capability: K
): Effect.Effect<Capabilities[K], PlatformPermanentError> => {
  const found = connector[capability] as Capabilities[K] | undefined
  return found === undefined
    ? Effect.fail(
      new PlatformPermanentError({
        platform: connector.platform,
        reason: "unsupported",
        message: `${connector.platform} does not support ${capability}`
      })
    )
    : Effect.succeed(found)
}

import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"

const common = `
  id uuid PRIMARY KEY,
  restaurant_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()`

/** the eight synchronizable entities, each owned by a restaurant. */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`
CREATE TABLE dining_rooms (${common},
  name text NOT NULL,
  capacity integer NOT NULL DEFAULT 0,
  is_active boolean NOT NULL DEFAULT true
);
CREATE TABLE dining_tables (${common},
  label text NOT NULL,
  seats integer NOT NULL,
  dining_room_id uuid REFERENCES dining_rooms(id) ON DELETE SET NULL,
  is_active boolean NOT NULL DEFAULT true
);
CREATE TABLE dining_services (${common},
  name text NOT NULL,
  type text NOT NULL,
  day_of_week jsonb NOT NULL,
  start_time text NOT NULL,
  end_time text NOT NULL,
  last_seating_time text,
  max_covers integer NOT NULL,
  slot_interval_min integer NOT NULL,
  default_duration_min integer NOT NULL,
  requires_prepayment boolean NOT NULL,
  prepayment_amount numeric(12,2),
  auto_confirm boolean NOT NULL,
  dining_room_ids jsonb,
  is_private boolean NOT NULL,
  is_active boolean NOT NULL
);
CREATE TABLE menu_items (${common},
  name text NOT NULL,
  description text,
  price numeric(12,2) NOT NULL,
  currency text NOT NULL,
  category text,
  allergens jsonb NOT NULL,
  options jsonb NOT NULL,
  is_available boolean NOT NULL
);
CREATE TABLE offers (${common},
  name text NOT NULL,
  description text,
  type text NOT NULL,
  menu_item_id uuid REFERENCES menu_items(id) ON DELETE SET NULL,
  discount_percent integer,
  start_date date,
  end_date date,
  is_permanent boolean NOT NULL,
  min_party_size integer,
  max_party_size integer,
  has_prepayment boolean NOT NULL,
  prepayment_amount numeric(12,2),
  prepayment_type text,
  is_bookable boolean NOT NULL,
  is_active boolean NOT NULL
);
CREATE TABLE customers (${common},
  name text NOT NULL,
  phone text,
  email text,
  allergies jsonb NOT NULL,
  is_vip boolean NOT NULL,
  notes text
);
CREATE TABLE reservations (${common},
  version integer NOT NULL DEFAULT 1,
  customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
  customer_name text NOT NULL,
  customer_phone text NOT NULL,
  customer_email text,
  party_size integer NOT NULL,
  adults integer,
  children integer,
  reservation_time timestamptz NOT NULL,
  duration_min integer,
  status text NOT NULL,
  source text NOT NULL,
  notes text,
  allergies jsonb NOT NULL,
  dietary_restrictions jsonb NOT NULL,
  occasion text,
  service_id uuid REFERENCES dining_services(id) ON DELETE SET NULL,
  offer_id uuid REFERENCES offers(id) ON DELETE SET NULL,
  dining_room_id uuid REFERENCES dining_rooms(id) ON DELETE SET NULL,
  table_ids jsonb NOT NULL
);
CREATE TABLE orders (${common},
  version integer NOT NULL DEFAULT 1,
  type text NOT NULL,
  status text NOT NULL,
  source text NOT NULL,
  customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
  customer_name text NOT NULL,
  customer_phone text,
  items jsonb NOT NULL,
  total numeric(12,2) NOT NULL,
  currency text NOT NULL,
  delivery_address jsonb,
  scheduled_for timestamptz,
  notes text
);
-- List endpoints page through a restaurant's rows in creation order.
CREATE INDEX dining_rooms_restaurant ON dining_rooms (restaurant_id, created_at, id);
CREATE INDEX dining_tables_restaurant ON dining_tables (restaurant_id, created_at, id);
CREATE INDEX dining_services_restaurant ON dining_services (restaurant_id, created_at, id);
CREATE INDEX menu_items_restaurant ON menu_items (restaurant_id, created_at, id);
CREATE INDEX offers_restaurant ON offers (restaurant_id, created_at, id);
CREATE INDEX customers_restaurant ON customers (restaurant_id, created_at, id);
CREATE INDEX reservations_restaurant ON reservations (restaurant_id, created_at, id);
CREATE INDEX orders_restaurant ON orders (restaurant_id, created_at, id);
-- Availability counts covers per restaurant and time; inbound customer upsert finds by phone or email.
CREATE INDEX reservations_restaurant_time ON reservations (restaurant_id, reservation_time);
CREATE INDEX customers_restaurant_phone ON customers (restaurant_id, phone);
CREATE INDEX customers_restaurant_email ON customers (restaurant_id, lower(email));
`)
})

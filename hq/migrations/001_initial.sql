-- Head office schema, version 1. PostgreSQL dialect only; runs unchanged on PGlite.

CREATE TABLE stores (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A lane authenticates with a secret token; only its SHA-256 is kept (the token is 256 random bits,
-- so a slow hash adds nothing).
CREATE TABLE lanes (
  id               text PRIMARY KEY,
  store_id         text NOT NULL REFERENCES stores(id),
  name             text NOT NULL,
  token_hash       text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_contact_at  timestamptz,
  -- Highest outbox seq received from the lane, and the backlog it reported with its last batch.
  last_seq         bigint NOT NULL DEFAULT 0,
  reported_backlog integer,
  UNIQUE (store_id, name)
);

-- Every outbox document a lane sent, exactly once. received_seq orders arrival across lanes;
-- lane_seq is the lane's own outbox order.
CREATE TABLE documents (
  id            text PRIMARY KEY,
  lane_id       text NOT NULL REFERENCES lanes(id),
  lane_seq      bigint NOT NULL,
  type          text NOT NULL,
  aggregate_id  text NOT NULL,
  created_at    text NOT NULL,
  payload       jsonb NOT NULL,
  content_hash  text NOT NULL,
  received_seq  bigint GENERATED ALWAYS AS IDENTITY,
  received_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (lane_id, lane_seq)
);
CREATE INDEX documents_lane_received ON documents (lane_id, received_seq);

-- A repeated id with other content: never applied, kept here for the operator.
CREATE TABLE document_conflicts (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id   text NOT NULL,
  lane_id       text NOT NULL REFERENCES lanes(id),
  reason        text NOT NULL,
  document      jsonb NOT NULL,
  content_hash  text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now()
);

-- Closed sales, projected from sale.closed documents for receipt lookup (returns at any lane).
CREATE TABLE sales (
  document_id   text PRIMARY KEY REFERENCES documents(id),
  store_id      text NOT NULL REFERENCES stores(id),
  lane_id       text NOT NULL REFERENCES lanes(id),
  number        integer NOT NULL,
  closed_at     timestamptz NOT NULL,
  total_kopecks bigint NOT NULL,
  fiscal_sign   text
);
CREATE INDEX sales_number ON sales (number);
CREATE INDEX sales_fiscal_sign ON sales (fiscal_sign) WHERE fiscal_sign IS NOT NULL;
CREATE INDEX sales_closed_at ON sales (closed_at);

-- Quantities returned per sale line. Return documents do not exist yet; lookup already sums this.
CREATE TABLE returned_lines (
  return_document_id text NOT NULL REFERENCES documents(id),
  sale_document_id   text NOT NULL REFERENCES sales(document_id),
  line_id            text NOT NULL,
  quantity_milli     bigint NOT NULL CHECK (quantity_milli > 0),
  PRIMARY KEY (return_document_id, line_id)
);
CREATE INDEX returned_lines_sale ON returned_lines (sale_document_id);

-- Published catalog per store. Every change takes the next value of catalog_cursor, so a lane that
-- remembers the highest cursor it applied pulls only what changed since. Writers of one store are
-- serialised (row lock on stores), so cursors become visible in order.
CREATE SEQUENCE catalog_cursor;
CREATE TABLE catalog_products (
  store_id    text NOT NULL REFERENCES stores(id),
  product_id  text NOT NULL,
  product     jsonb NOT NULL,
  deleted     boolean NOT NULL DEFAULT false,
  cursor      bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, product_id)
);
CREATE UNIQUE INDEX catalog_products_cursor ON catalog_products (store_id, cursor);

-- Version 2: revoked lane tokens, the parked count lanes report, returns projected onto their sale.

-- A revoked lane keeps its documents; its token is refused from the moment this is set.
ALTER TABLE lanes ADD COLUMN revoked_at timestamptz;
-- Outbox rows the lane parked (waiting for its operator), as reported with its last batch.
ALTER TABLE lanes ADD COLUMN reported_parked integer;

-- A return names its sale by the Sale's id (the sale.closed document's aggregate id), which is what
-- the lane knows; the head office's receipt lookup gives it too.
ALTER TABLE sales ADD COLUMN sale_id text;
UPDATE sales s SET sale_id = d.aggregate_id FROM documents d WHERE d.id = s.document_id;
ALTER TABLE sales ALTER COLUMN sale_id SET NOT NULL;
CREATE INDEX sales_sale_id ON sales (sale_id);

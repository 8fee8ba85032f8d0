-- Version 5: a sale's fiscal document on its lookup row. The lane sends sale.closed when the sale is
-- paid, before the register has made the receipt; the fiscal document follows as fiscal.document once
-- the lane's fiscal job is done, and its ФП, ФД and FN serial are put on the sale's row then, so that a
-- return at any lane can find the sale by what the buyer's receipt shows. Rows of documents ingested
-- before this version are filled here from the fiscal.document documents already held.
ALTER TABLE sales ADD COLUMN fd_number bigint;
ALTER TABLE sales ADD COLUMN fn_serial text;
UPDATE sales s
   SET fiscal_sign = COALESCE(NULLIF(ltrim(d.payload->>'fiscalSign', '0'), ''), '0'), fd_number = (d.payload->>'fdNumber')::bigint, fn_serial = d.payload->>'fnSerial'
  FROM documents d
 WHERE d.type = 'fiscal.document' AND d.lane_id = s.lane_id AND d.payload->>'saleId' = s.sale_id;
CREATE INDEX sales_fd_number ON sales (fd_number) WHERE fd_number IS NOT NULL;

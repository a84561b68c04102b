-- The links between documents, followed both ways: what replaced a document, and the
-- interpretations of a document. Without these indexes, inserting a document that resolves
-- a deferred foreign key scans the whole table (quadratic when importing 100,000).
CREATE INDEX documents_replaced_by ON documents (replaced_by) WHERE replaced_by IS NOT NULL;
CREATE INDEX documents_interprets ON documents (interprets) WHERE interprets IS NOT NULL;

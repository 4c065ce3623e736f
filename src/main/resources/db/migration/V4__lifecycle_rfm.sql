-- RFM scores and class, recomputed set-wise on a schedule over the buying base.
ALTER TABLE contacts
  ADD COLUMN rfm_r smallint,
  ADD COLUMN rfm_f smallint,
  ADD COLUMN rfm_m smallint,
  ADD COLUMN rfm_class text CHECK (rfm_class IN ('重要价值', '重要发展', '重要保持', '重要挽留',
                                                 '一般价值', '一般发展', '一般保持', '一般挽留'));
CREATE INDEX contacts_rfm_class_idx ON contacts (rfm_class) WHERE rfm_class IS NOT NULL;

-- Tracked links: each link of a rendered touch gets a short code that redirects to it and records
-- the click. Only URLs written here can be redirect targets, so /l/{code} is no open redirect.
CREATE TABLE touch_links (
  code       text PRIMARY KEY,
  touch_id   bigint NOT NULL REFERENCES touches(id) ON DELETE CASCADE,
  url        text NOT NULL,
  clicks     integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX touch_links_touch_idx ON touch_links (touch_id);

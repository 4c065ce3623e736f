-- Message templates (io.siyu.template). A template is a key with its kind; its content lives in
-- versions, which are never changed once written: a touch rendered from version 3 can always be
-- explained, and "current" is simply the highest version.
CREATE TABLE templates (
  id          bigserial PRIMARY KEY,
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  kind        text NOT NULL CHECK (kind IN ('marketing', 'transactional')),
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- variants: [{"channel", "locale", "format", "subject"?, "body"}], always read and written whole.
-- content_hash is the SHA-256 of the variants in canonical order: loading an unchanged file set
-- compares it and writes nothing.
CREATE TABLE template_versions (
  id           bigserial PRIMARY KEY,
  template_id  bigint NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
  version      integer NOT NULL CHECK (version > 0),
  variants     jsonb NOT NULL CHECK (jsonb_typeof(variants) = 'array'),
  content_hash text NOT NULL,
  source       text NOT NULL CHECK (source IN ('file', 'api')),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (template_id, version)
);

CREATE FUNCTION template_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'template versions are immutable: add a new version instead';
END $$;

CREATE TRIGGER template_versions_immutable BEFORE UPDATE ON template_versions
  FOR EACH ROW EXECUTE FUNCTION template_versions_immutable();

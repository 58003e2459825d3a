-- 'Hello, World!' -> 'hello-world'
CREATE FUNCTION blog.slugify(title text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    RETURN trim(BOTH '-' FROM regexp_replace(lower(title), '[^a-z0-9]+', '-', 'g'));

CREATE FUNCTION blog.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER users_touch BEFORE UPDATE ON blog.users
    FOR EACH ROW EXECUTE FUNCTION blog.touch_updated_at();
CREATE TRIGGER posts_touch BEFORE UPDATE ON blog.posts
    FOR EACH ROW EXECUTE FUNCTION blog.touch_updated_at();

-- Issue 13, ADR 0022: the H2 migration of this number gives H2's sequences a cache of 1,000, because H2
-- commits the store each time a sequence's cache runs out. PostgreSQL needs nothing: nextval writes no
-- commit of its own, and a PostgreSQL cache would be per connection, so the global index of two nodes would
-- no longer grow by one (ADR 0002). This migration keeps both databases at the same schema version.
select 1;

-- Issue 13, ADRs 0021/0023: the H2 migration of this number gives the replay ledger's identity a cache of
-- 1,000, because H2 commits the store each time a cache runs out. PostgreSQL writes no commit of its own
-- for nextval, and its caches are per connection. This migration keeps both databases at one version.
select 1;

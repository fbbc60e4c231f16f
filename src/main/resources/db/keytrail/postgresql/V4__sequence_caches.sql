-- V4 (ADR 0023): nothing to change on PostgreSQL. H2 needed larger sequence caches because it wrote
-- every 32nd sequence value as a commit of its own (see db/keytrail/h2/V7__sequence_caches.sql).
-- PostgreSQL logs sequence advances in its WAL with the transaction, and its CACHE is per connection:
-- a larger one would hand out global indexes out of commit order between connections, which the
-- event store's trackers must not see. Kept as a file so that both databases list the same versions.
select 1;

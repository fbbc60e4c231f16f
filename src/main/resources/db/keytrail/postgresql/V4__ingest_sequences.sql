-- Issue 13, ADR 0022: the write path of room keys.
-- 1. The H2 migration of this number gives domain_event_entry_seq a cache of 1,000, because H2 commits the
--    store each time a sequence's cache runs out. PostgreSQL needs nothing there: nextval writes no commit
--    of its own, and a PostgreSQL cache is per connection, so the global index of two nodes would no longer
--    grow by one (ADR 0002).
-- 2. kt_session.position comes from a sequence instead of the column's identity, so that the rows of a
--    batch are inserted as one JDBC batch (Hibernate inserts IDENTITY rows one by one to read their keys).
--    No cache: positions keep following the order in which the nodes insert. It starts after the rows
--    already stored; the column keeps its identity default, which nothing uses. (The identity's own
--    sequence cannot serve: PostgreSQL hides identity sequences from information_schema.sequences, where
--    Hibernate's schema validation looks.)
create sequence kt_session_row_seq start with 1 increment by 1;
select setval('kt_session_row_seq', coalesce((select max("position") from kt_session), 0) + 1, false);

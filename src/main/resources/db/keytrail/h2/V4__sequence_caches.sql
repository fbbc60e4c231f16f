-- Issue 13, ADR 0022: H2 hands out sequence and identity values from a cache of 32 and, each time the
-- cache runs out, writes the sequence's new high mark with a store commit of its own (a chunk written to
-- the file with WRITE_DELAY=0). One room key takes one value of each of these two, so a run of 100 room
-- keys paid about six extra store commits beside its own. With a cache of 1,000 it pays one every ten runs.
-- Values are still handed out one by one in increasing order (the global index grows by one, ADR 0002);
-- only a crash skips the unused rest of a cache, a gap like that of a rolled-back transaction.
alter sequence domain_event_entry_seq cache 1000;
alter table kt_session alter column position set cache 1000;

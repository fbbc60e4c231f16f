-- Issue 13, ADRs 0021/0023: the replay ledger's identity (one row per decrypted message index) is handed
-- out from H2's default cache of 32, and each time that cache runs out H2 writes the new high mark with a
-- store commit of its own (a chunk written to the file with WRITE_DELAY=0): on the decrypt path of an
-- array, 9 of the ledger's 17 samples. A cache of 1,000, as V4 gives the event sequence; a crash skips at
-- most the unused rest, and nothing reads these ids but the row itself.
alter table kt_decrypted_index alter column id set cache 1000;

-- A host's migration recorded in the same history as Keytrail's (as hosts had to before ADR 0024).
create table host_audit (id bigint primary key);

-- Adoption of a store created before Flyway (ADR 0015): run once by io.keytrail.api.SchemaMigrations,
-- only on a store that has Keytrail's tables but no migration history, right before it is baselined
-- at V1. It is what every start ran before Flyway (schema-postgresql.sql), so a store made by any earlier
-- version is brought to V1's shape first; on a store already at V1's shape it changes nothing.

-- db-scheduler's table (persistent deadlines of the background retry, ADR 0005).
create table if not exists scheduled_tasks (
  task_name text not null,
  task_instance text not null,
  task_data bytea,
  execution_time timestamp with time zone,
  picked boolean not null,
  picked_by text,
  last_success timestamp with time zone,
  last_failure timestamp with time zone,
  consecutive_failures int,
  last_heartbeat timestamp with time zone,
  version bigint not null,
  priority smallint,
  primary key (task_name, task_instance)
);
create index if not exists execution_time_idx on scheduled_tasks (execution_time);
create index if not exists last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index if not exists priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- Stores created before the id limits of design section 11 (see schema-h2.sql): widen the id columns
-- Hibernate created at 255 characters. Widening a varchar rewrites nothing in PostgreSQL.
alter table if exists domain_event_entry alter column aggregate_identifier type varchar(512);
alter table if exists snapshot_event_entry alter column aggregate_identifier type varchar(512);
alter table if exists kt_device alter column id type varchar(512);

-- One row per user, locked (select ... for update) by the unit of work that decides a room key of the
-- user or stores the user's keys, so that nodes sharing the database serialise per user (ADR 0009).
create table if not exists keytrail_user_lock (
  user_id varchar(1024) not null primary key
);

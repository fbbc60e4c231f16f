-- Schema changes of branch auditkeys (ADR 0012), for the integrator to turn into Flyway migrations.
-- Today they are applied by schema-h2.sql / schema-postgresql.sql (the table) and by Hibernate ddl-auto
-- update (the column). Both are additive: no existing column or row changes.

-- ===================== H2 =====================
-- Per-session data keys, wrapped by a sealing key. NOT a read model: a rebuild must never reset it.
create table if not exists keytrail_data_key (
  data_key_id varchar(64) not null primary key,
  aggregate_id varchar(1024) not null,
  sealing_key_id varchar(64) not null,
  wrapped_key varchar(512) not null,
  created_at timestamp with time zone not null
);
create index if not exists keytrail_data_key_aggregate on keytrail_data_key (aggregate_id);
create index if not exists keytrail_data_key_sealing on keytrail_data_key (sealing_key_id);
-- The session read model's "forgotten" flag (nullable: existing rows need no default; null = not forgotten).
alter table kt_session add column if not exists forgotten boolean;

-- ===================== PostgreSQL =====================
create table if not exists keytrail_data_key (
  data_key_id varchar(64) not null primary key,
  aggregate_id varchar(1024) not null,
  sealing_key_id varchar(64) not null,
  wrapped_key varchar(512) not null,
  created_at timestamp with time zone not null
);
create index if not exists keytrail_data_key_aggregate on keytrail_data_key (aggregate_id);
create index if not exists keytrail_data_key_sealing on keytrail_data_key (sealing_key_id);
alter table kt_session add column if not exists forgotten boolean;

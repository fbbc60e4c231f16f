package io.keytrail.api;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A schema as comparable lines: every table's columns (type, size, nullability, identity), primary key,
 * unique constraints (by name: Hibernate's names are deterministic) and indexes (plain ones by name,
 * those backing a key by their columns: the database names those itself), and every sequence with its
 * increment. Flyway's history table is left out. H2 and PostgreSQL.
 */
public final class SchemaSnapshot {
    private SchemaSnapshot() {
    }

    public static SortedSet<String> of(Connection connection, String schema) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        SortedSet<String> lines = new TreeSet<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet r = meta.getTables(connection.getCatalog(), schema, "%", null)) {
            while (r.next()) {
                String type = r.getString("TABLE_TYPE").toUpperCase(Locale.ROOT);
                String name = r.getString("TABLE_NAME");
                if (type.contains("TABLE") && !type.contains("SYSTEM") && !name.equalsIgnoreCase("flyway_schema_history") && !name.equalsIgnoreCase(SchemaMigrations.HISTORY)) {
                    tables.add(name);
                }
            }
        }
        for (String table : tables) {
            String t = table.toLowerCase(Locale.ROOT);
            lines.add("table " + t);
            try (ResultSet r = meta.getColumns(connection.getCatalog(), schema, table, "%")) {
                while (r.next()) {
                    lines.add("column " + t + "." + r.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " "
                            + r.getString("TYPE_NAME").toLowerCase(Locale.ROOT) + "(" + r.getInt("COLUMN_SIZE") + ")"
                            + (r.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : "")
                            + ("YES".equals(r.getString("IS_AUTOINCREMENT")) ? " identity" : ""));
                }
            }
            Map<Integer, String> key = new TreeMap<>();
            try (ResultSet r = meta.getPrimaryKeys(connection.getCatalog(), schema, table)) {
                while (r.next()) {
                    key.put(r.getInt("KEY_SEQ"), r.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            lines.add("primary key " + t + key.values());
            Map<String, Map<Integer, String>> indexes = new TreeMap<>();
            Map<String, Boolean> unique = new TreeMap<>();
            try (ResultSet r = meta.getIndexInfo(connection.getCatalog(), schema, table, false, false)) {
                while (r.next()) {
                    String name = r.getString("INDEX_NAME");
                    if (name == null) {
                        continue;
                    }
                    indexes.computeIfAbsent(name, n -> new TreeMap<>()).put(r.getInt("ORDINAL_POSITION"),
                            r.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)
                                    + ("D".equals(r.getString("ASC_OR_DESC")) ? " desc" : ""));
                    unique.put(name, !r.getBoolean("NON_UNIQUE"));
                }
            }
            indexes.forEach((name, columns) -> lines.add((unique.get(name)
                    ? "unique index " + t + columns.values()
                    : "index " + name.toLowerCase(Locale.ROOT) + " on " + t + columns.values())));
        }
        try (PreparedStatement s = connection.prepareStatement("select constraint_name, table_name"
                + " from information_schema.table_constraints where constraint_type = 'UNIQUE' and table_schema = ?")) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add("unique constraint " + r.getString(1).toLowerCase(Locale.ROOT) + " on "
                            + r.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        try (PreparedStatement s = connection.prepareStatement("select sequence_name, increment"
                + " from information_schema.sequences where sequence_schema = ?")) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add("sequence " + r.getString(1).toLowerCase(Locale.ROOT) + " increment " + r.getLong(2));
                }
            }
        }
        return lines;
    }
}

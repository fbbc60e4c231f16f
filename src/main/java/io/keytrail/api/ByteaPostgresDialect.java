package io.keytrail.api;

import java.sql.Types;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;

/**
 * PostgreSQL dialect that stores {@code @Lob byte[]} attributes inline as {@code bytea}.
 *
 * <p>Axon's JPA entities (event payloads and metadata, tracking tokens, sagas, dead letters) map their
 * binary columns as {@code @Lob}. Stock Hibernate turns those into {@code oid} columns that point into
 * {@code pg_largeobject}: the bytes are not readable with plain SQL, and deleting a row leaves its large
 * object behind. An audit store must be readable and must not leak, so every BLOB becomes {@code bytea}
 * and is bound with {@code setBytes}/{@code getBytes}. Choose this before the first production event is
 * written: moving existing {@code oid} data needs a migration (ADR 0002).
 */
public class ByteaPostgresDialect extends PostgreSQLDialect {

    public ByteaPostgresDialect() {
        super();
    }

    /** Used by Hibernate when it resolves the dialect from a live connection; keeps version detection. */
    public ByteaPostgresDialect(DialectResolutionInfo info) {
        super(info);
    }

    @Override
    protected String columnType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.columnType(sqlTypeCode);
    }

    @Override
    protected String castType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.castType(sqlTypeCode);
    }

    @Override
    public void contributeTypes(TypeContributions typeContributions, ServiceRegistry serviceRegistry) {
        super.contributeTypes(typeContributions, serviceRegistry);
        // Read and write BLOB-typed values as plain byte arrays instead of large-object handles.
        typeContributions.getTypeConfiguration().getJdbcTypeRegistry()
                .addDescriptor(Types.BLOB, BinaryJdbcType.INSTANCE);
    }
}

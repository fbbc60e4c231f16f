package io.keytrail.api;

import java.util.List;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.EntityManagerFactoryBuilderCustomizer;
import org.springframework.boot.autoconfigure.orm.jpa.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.persistenceunit.MutablePersistenceUnitInfo;
import org.springframework.orm.jpa.persistenceunit.PersistenceUnitPostProcessor;

import io.keytrail.audit.AuditTrail;
import io.keytrail.audit.DecisionReverifier;
import io.keytrail.audit.KeyRotation;
import io.keytrail.audit.ReadModelRebuild;
import io.keytrail.audit.SessionForgetter;
import io.keytrail.audit.SessionTrail;
import io.keytrail.audit.StoreVerifier;
import io.keytrail.decrypt.DecryptService;
import io.keytrail.decrypt.DecryptedIndexRow;
import io.keytrail.decrypt.MessageIndexLedger;
import io.keytrail.directory.DeviceRow;
import io.keytrail.directory.Directory;
import io.keytrail.directory.DirectoryProjection;
import io.keytrail.directory.IdentityRow;
import io.keytrail.directory.LocalAccount;
import io.keytrail.directory.LocalAccountRow;
import io.keytrail.directory.SealingKeyCheck;
import io.keytrail.directory.SessionLookup;
import io.keytrail.directory.SessionRow;
import io.keytrail.directory.UserLocks;
import io.keytrail.directory.WriteUnits;
import io.keytrail.identity.IdentitySnapshots;
import io.keytrail.identity.UserIdentity;
import io.keytrail.imports.ImportIntake;
import io.keytrail.imports.KeyExportService;
import io.keytrail.lanes.KeysQueryLane;
import io.keytrail.lanes.KeysQuerySaga;
import io.keytrail.lanes.KeysWantedCatchUp;
import io.keytrail.lanes.LaneConfiguration;
import io.keytrail.lanes.RoomKeyIntake;
import io.keytrail.redecision.KeysIntake;
import io.keytrail.session.MegolmSession;
import io.keytrail.session.NewSessions;
import io.keytrail.session.SessionDiscardedUpcaster;

/**
 * The engine as a Spring Boot starter (ADR 0014): every bean of Keytrail, listed here rather than found
 * by a component scan, so a host application never has to scan {@code io.keytrail} and never scans it by
 * accident. The HTTP API is a separate, optional part ({@link KeytrailWebAutoConfiguration}); the command
 * line is not a bean at all ({@link KeytrailCli} starts its own context).
 *
 * <p>What a host may replace by declaring a bean of its own type: {@code Clock}, {@code SecureRandom},
 * {@code SessionKeyVault} (the sealing key source) in {@link EngineConfiguration}, the
 * {@code HomeserverClient} in {@link LaneConfiguration}.
 *
 * <p>Keytrail's JPA entities and its mapping file are <em>added</em> to the host's persistence unit (a
 * {@link PersistenceUnitPostProcessor}), its repositories to the auto-configuration packages: a host's
 * own {@code @EntityScan} or entity packages stay as they are. It runs before Spring Data's repository
 * auto-configuration, which reads those packages.
 */
@AutoConfiguration(before = {JpaRepositoriesAutoConfiguration.class, HibernateJpaAutoConfiguration.class})
@Import({KeytrailAutoConfiguration.RepositoryPackages.class,
        EngineConfiguration.class, CliEngineConfiguration.class, SchemaMigrations.class, OperationsConfiguration.class,
        H2HousekeepingConfiguration.class,
        LaneConfiguration.class, IdentitySnapshots.class,
        // aggregates and the saga (Axon finds them among the bean definitions)
        MegolmSession.class, UserIdentity.class, KeysQuerySaga.class, NewSessions.class,
        // directory (read models), lanes, re-decision, imports, decryption, audit
        Directory.class, DirectoryProjection.class, SessionLookup.class, UserLocks.class, WriteUnits.class,
        LocalAccount.class,
        SealingKeyCheck.class, KeysQueryLane.class, KeysWantedCatchUp.class, RoomKeyIntake.class, KeysIntake.class,
        ImportIntake.class,
        KeyExportService.class, DecryptService.class, MessageIndexLedger.class, AuditTrail.class,
        DecisionReverifier.class, SessionTrail.class, StoreVerifier.class, KeyRotation.class, SessionForgetter.class,
        ReadModelRebuild.class, SessionDiscardedUpcaster.class,
        // the facade and what it uses
        Keytrail.class, InputProcessor.class, ShutdownSignal.class})
public class KeytrailAutoConfiguration {
    /** Keytrail's JPA entities, added to whatever the host's persistence unit already manages. */
    static final List<Class<?>> ENTITIES = List.of(DeviceRow.class, IdentityRow.class, SessionRow.class,
            LocalAccountRow.class, DecryptedIndexRow.class);

    /**
     * Axon's event-entry overrides (global index sequence of step 1, 512-character aggregate ids; ADR
     * 0002). Not {@code META-INF/orm.xml}: that name is the host's default mapping file.
     */
    static final String MAPPING_FILE = "META-INF/keytrail-orm.xml";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(LocalContainerEntityManagerFactoryBean.class)
    static class Persistence {
        @Bean
        EntityManagerFactoryBuilderCustomizer keytrailPersistenceUnit() {
            return builder -> builder.setPersistenceUnitPostProcessors(KeytrailAutoConfiguration::addKeytrailTypes);
        }

        /**
         * The entity manager factory (Keytrail's or the host's) waits for {@link SealingKeyCheck}: a node
         * whose sealing keys cannot open the store is refused before JPA and Axon start (ADR 0033).
         */
        @Bean
        static EntityManagerFactoryDependsOnPostProcessor keytrailSealingKeyCheckFirst() {
            return new EntityManagerFactoryDependsOnPostProcessor(SealingKeyCheck.class);
        }
    }

    /** Adds Keytrail's entities (unless the host's scan found them already) and its mapping file. */
    static void addKeytrailTypes(MutablePersistenceUnitInfo unit) {
        for (Class<?> entity : ENTITIES) {
            if (!unit.getManagedClassNames().contains(entity.getName())) {
                unit.addManagedClassName(entity.getName());
            }
        }
        if (!unit.getMappingFileNames().contains(MAPPING_FILE)) {
            unit.addMappingFileName(MAPPING_FILE);
        }
    }

    /**
     * The packages of Keytrail's Spring Data repositories, added to the auto-configuration packages that
     * Spring Boot's repository auto-configuration scans (the same way Axon registers its own entities).
     */
    static final class RepositoryPackages implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AutoConfigurationPackages.register(registry, DeviceRow.class.getPackageName(),
                    DecryptedIndexRow.class.getPackageName());
        }
    }
}

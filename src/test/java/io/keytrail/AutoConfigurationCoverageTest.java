package io.keytrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.axonframework.spring.stereotype.Aggregate;
import org.axonframework.spring.stereotype.Saga;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.data.repository.Repository;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.stereotype.Component;

/**
 * Keytrail registers its beans by listing them in the auto-configuration (ADR 0014), not by a component
 * scan. A new {@code @Component}, controller, configuration, aggregate, saga or repository that nobody
 * adds to that list would silently never load; this test finds every such class in the main sources
 * and fails when the service's context has no bean of it.
 */
@EngineSpringTest
class AutoConfigurationCoverageTest {

    /** Classes that are Spring stereotypes but are, on purpose, not beans of the service's context. */
    private static final Set<String> NOT_IN_THE_SERVICE = Set.of();

    @Autowired
    ApplicationContext context;

    @Test
    void everyStereotypeClassOfTheMainSourcesIsABeanOfTheServiceContext() throws Exception {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(
                    org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
                // interfaces too (Spring Data repositories); nested classes too
                return definition.getMetadata().isIndependent() || definition.getMetadata().isInterface();
            }
        };
        scan.addIncludeFilter(new AnnotationTypeFilter(Component.class, true, true));
        scan.addIncludeFilter(new AnnotationTypeFilter(Aggregate.class));
        scan.addIncludeFilter(new AnnotationTypeFilter(Saga.class));
        scan.addIncludeFilter(new AssignableTypeFilter(Repository.class));

        List<String> found = new ArrayList<>();
        Set<String> missing = new TreeSet<>();
        for (BeanDefinition candidate : scan.findCandidateComponents("io.keytrail")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            String location = String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
            if (location.contains("test-classes") || NOT_IN_THE_SERVICE.contains(type.getName())) {
                continue;
            }
            found.add(type.getName());
            if (context.getBeanNamesForType(type, true, false).length == 0) {
                missing.add(type.getName());
            }
        }

        assertThat(found).as("the scan must see the engine's beans, or this test proves nothing")
                .contains("io.keytrail.lanes.RoomKeyIntake", "io.keytrail.session.MegolmSession",
                        "io.keytrail.lanes.KeysQuerySaga", "io.keytrail.directory.SessionRows",
                        "io.keytrail.api.ApiController");
        assertThat(missing).as("stereotype classes that no auto-configuration registers "
                + "(add them to KeytrailAutoConfiguration's or KeytrailWebAutoConfiguration's @Import)").isEmpty();
    }
}

package io.keytrail;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayList;
import java.util.List;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The layout of style.md as tests, over production classes only: the rooms form no cycle, the pure
 * rooms stay plain Java, and every dependency points down the room order (a room may use only the
 * rooms listed before it).
 */
@AnalyzeClasses(packages = "io.keytrail", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The rooms, bottom first (style.md). */
    static final List<String> ROOMS = List.of("crypto", "matrix", "errors", "trust", "session", "identity",
            "directory", "lanes", "redecision", "imports", "decrypt", "audit", "api", "bench");

    /** Plain Java rooms: a test drives them in microseconds, without a container. */
    static final List<String> PURE_ROOMS = List.of("crypto", "matrix", "trust");

    @ArchTest
    static final ArchRule roomsFormNoCycle = slices().matching("io.keytrail.(*)..").namingSlices("room $1")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule pureRoomsImportNoSpringAxonOrJpa = noClasses().that()
            .resideInAnyPackage(packages(PURE_ROOMS))
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..",
                    "jakarta.persistence..", "javax.persistence..", "org.hibernate..")
            .because("crypto, matrix and trust are plain Java (style.md)");

    @ArchTest
    static final ArchRule dependenciesPointDownTheRoomOrder = roomOrder();

    @ArchTest
    static final ArchRule everyProductionClassLivesInARoom =
            classes().should().resideInAnyPackage(packages(ROOMS))
            .because("a class outside the rooms escapes the order checked here");

    private static ArchRule roomOrder() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < ROOMS.size() - 1; i++) {
            List<String> above = ROOMS.subList(i + 1, ROOMS.size());
            rules.add(noClasses().that().resideInAPackage(room(ROOMS.get(i)))
                    .should().dependOnClassesThat().resideInAnyPackage(packages(above))
                    .because("room " + ROOMS.get(i) + " may use only " + ROOMS.subList(0, i)));
        }
        return CompositeArchRule.of(rules).as("a room uses only the rooms listed before it: "
                + String.join(" < ", ROOMS));
    }

    private static String room(String name) {
        return "io.keytrail." + name + "..";
    }

    private static String[] packages(List<String> rooms) {
        return rooms.stream().map(ArchitectureTest::room).toArray(String[]::new);
    }
}

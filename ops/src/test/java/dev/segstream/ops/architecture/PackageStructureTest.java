package dev.segstream.ops.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package design every module shares, checked on the compiled classes of all of them. */
class PackageStructureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.segstream");
    }

    @Test
    void shouldHaveNoPackageCycleWhenAnyTwoPackagesDependOnEachOther() {
        slices().matching("dev.segstream.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldKeepDjlOutOfCoreAndProducerWhenTheyRunOnCameraGateways() {
        noClasses().that().resideInAnyPackage("dev.segstream.core..", "dev.segstream.producer..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "dev.segstream.model..")
                .check(classes);
    }
}

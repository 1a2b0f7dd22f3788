package dev.jettison.cli.arch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of docs/architecture.md that the compiler does not check, over the production classes
 * of every module (cli's test classpath holds them all). Each test fails naming the classes that
 * broke its rule.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.jettison";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /**
     * Packages that still form cycles among themselves, each tree counted as one package until it
     * is untangled: vmm.devices and its device packages (DeviceSet builds the devices, they
     * implement its interfaces), and cli and its command packages.
     */
    private static final Set<String> TANGLED = Set.of(ROOT + ".vmm.devices", ROOT + ".cli");

    @ParameterizedTest
    @ValueSource(strings = {"core", "sys", "vmm", "migration", "agent", "sim", "cli"})
    void everyModuleIsImported(String module) {
        assertTrue(CLASSES.containPackage(ROOT + "." + module), () -> "no classes of " + module
                + " on the classpath: the rules below would pass without looking at it");
    }

    @Test
    void modulesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy(ROOT + ".cli..")
                .layer("agent").definedBy(ROOT + ".agent..")
                .layer("migration").definedBy(ROOT + ".migration..")
                .layer("vmm").definedBy(ROOT + ".vmm..")
                .layer("sys").definedBy(ROOT + ".sys..")
                .layer("sim").definedBy(ROOT + ".sim..")
                .layer("core").definedBy(ROOT + ".core..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("agent").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("migration").mayOnlyBeAccessedByLayers("cli", "agent")
                .whereLayer("vmm").mayOnlyBeAccessedByLayers("cli", "agent", "migration")
                .whereLayer("sys").mayOnlyBeAccessedByLayers("cli", "agent", "migration", "vmm")
                .whereLayer("sim").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("sim").mayOnlyAccessLayers("core")
                .whereLayer("core").mayNotAccessAnyLayer()
                .check(CLASSES);
    }

    @Test
    void onlySysCallsNativeCode() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".sys..")
                .should().dependOnClassesThat().belongToAnyOf(Linker.class, SymbolLookup.class)
                .because("sys is the only native layer: it names each call and turns errno into a SysException")
                .check(CLASSES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"core", "sys", "vmm", "migration", "agent", "sim"})
    void noPackageCyclesWithinAModule(String module) {
        slices().assignedFrom(packagesOf(ROOT + "." + module)).should().beFreeOfCycles().check(CLASSES);
    }

    /** Each package of {@code root} is a slice, except that a {@link #TANGLED} tree is one slice. */
    private static SliceAssignment packagesOf(String root) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!within(p, root)) return SliceIdentifier.ignore();
                for (String tangled : TANGLED) if (within(p, tangled)) return SliceIdentifier.of(tangled + ".**");
                return SliceIdentifier.of(p);
            }

            @Override
            public String getDescription() { return "the packages of " + root; }
        };
    }

    private static boolean within(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }
}

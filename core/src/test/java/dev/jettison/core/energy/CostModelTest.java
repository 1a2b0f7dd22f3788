package dev.jettison.core.energy;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.core.consolidation.WorkingSet;
import org.junit.jupiter.api.Test;

class CostModelTest {

    @Test
    void fullMigrationBudgetIs407_40() {
        var m = new CostModel(CostModel.FULL_USD_PER_DESKTOP_YEAR, WorkingSet.SERVER_MEMORY_MIB, WorkingSet.VM_NOMINAL_MIB, CostModel.DEPRECIATION_YEARS);
        assertEquals(4, m.vmsPerServer());
        assertEquals(407.40, m.breakEvenServerBudgetUsd(), 0.005);
        assertFalse(m.paysFor(CostModel.SERVER_PRICE_USD));
    }

    @Test
    void partialMigrationBudgetIs10_980_90() {
        // 98 partial VMs per 16 GiB server follow from the mean working set of 165.63 MiB (§3.2, §5.2).
        var m = new CostModel(CostModel.PARTIAL_USD_PER_DESKTOP_YEAR, WorkingSet.SERVER_MEMORY_MIB, WorkingSet.MEAN_MIB, CostModel.DEPRECIATION_YEARS);
        assertEquals(98, m.vmsPerServer());
        assertEquals(10_980.90, m.breakEvenServerBudgetUsd(), 0.005);
        assertTrue(m.paysFor(CostModel.SERVER_PRICE_USD));
    }

    @Test
    void annualisesAtThePaperPrice() {
        assertEquals(1 * 365 * 0.1058, CostModel.usdPerYear(1.0, CostModel.USD_PER_KWH), 1e-12);
        assertEquals(365 * (5 * 7.0 + 2 * 14.0) / 7 * 0.1058, CostModel.usdPerYear(7, 14, CostModel.USD_PER_KWH), 1e-9);
    }
}

package io.perpetua.settlement.stark.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StarkBenchTest
{
    @Test
    void honestRunVerifiesAndTamperedRunDoesNot()
    {
        final StarkBench.Result ok = StarkBench.run(20, "P100", false, 5);
        assertTrue(ok.verified());
        assertTrue(ok.format().matches(
            "RESULT stark records=20 preset=P100 prove-ms=\\d+ verify-ms=\\d+ proof-bytes=\\d+ verified=true"), ok.format());
        for (long seed = 0; seed < 5; seed++)
        {
            final StarkBench.Result bad = StarkBench.run(20, "P100", true, seed);
            assertFalse(bad.verified(), "seed=" + seed);
            assertNotNull(bad.rejection());
            assertTrue(bad.format().endsWith("verified=false"));
        }
        assertEquals(ok.proofBytes(), StarkBench.run(20, "P100", false, 5).proofBytes(), "deterministic for a seed");
    }
}

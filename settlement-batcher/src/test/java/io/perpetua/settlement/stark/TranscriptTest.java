package io.perpetua.settlement.stark;

import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptTest
{
    @Test
    void challengesAreDeterministicAndBoundToEverythingAbsorbed()
    {
        final Transcript a = new Transcript("x");
        final Transcript b = new Transcript("x");
        a.absorb("m", new byte[] {1, 2});
        b.absorb("m", new byte[] {1, 2});
        assertEquals(a.drawBase(), b.drawBase());
        assertNotEquals(a.drawBase(), new Transcript("x").drawBase());

        final Transcript c = new Transcript("x");
        c.absorb("m", new byte[] {1});
        c.absorb("m", new byte[] {2});
        final Transcript d = new Transcript("x");
        d.absorb("m", new byte[] {1, 2});
        assertNotEquals(c.drawBase(), d.drawBase(), "message boundaries are part of the transcript");
        assertNotEquals(new Transcript("x").drawBase(), new Transcript("y").drawBase());
    }

    @Test
    void statementIsAbsorbedBeforeTheFirstChallenge()
    {
        final long[] first = Transcript0.firstChallenge(new TestAirs.Fibonacci(8, 21));
        final long[] other = Transcript0.firstChallenge(new TestAirs.Fibonacci(8, 22));
        assertNotEquals(first[0], other[0], "a different public input must change the first challenge");
        final long[] longer = Transcript0.firstChallenge(new TestAirs.Fibonacci(16, 21));
        assertNotEquals(first[0], longer[0], "a different trace length must change the first challenge");
        final long[] otherAir = Transcript0.firstChallenge(new TestAirs.FibonacciSquare(8, 21));
        assertNotEquals(first[0], otherAir[0], "a different AIR id must change the first challenge");
        final long[] otherOptions = ProofLayout.startTranscript(new TestAirs.Fibonacci(8, 21), ProofOptions.P128)
            .drawExt(Extension.QUADRATIC);
        assertNotEquals(first[0], otherOptions[0], "different options must change the first challenge");
    }

    @Test
    void drawsAreCanonicalAndPowWorks()
    {
        final Transcript t = new Transcript("pow");
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(Goldilocks.isCanonical(t.drawBase()));
        }
        assertEquals(3, t.drawExt(Extension.CUBIC).length);
        final long nonce = t.grind(10);
        assertTrue(t.powValid(nonce, 10));
        for (final int p : t.drawPositions(100, 64))
        {
            assertTrue(p >= 0 && p < 64);
        }
    }

    /** Helper: the first challenge a prover and verifier would draw for a statement. */
    private static final class Transcript0
    {
        static long[] firstChallenge(final io.perpetua.settlement.stark.air.Air air)
        {
            return ProofLayout.startTranscript(air, ProofOptions.P100).drawExt(Extension.QUADRATIC);
        }
    }
}

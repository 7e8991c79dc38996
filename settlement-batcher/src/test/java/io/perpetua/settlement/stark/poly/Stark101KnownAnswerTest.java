package io.perpetua.settlement.stark.poly;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.perpetua.settlement.stark.field.PrimeField;
import io.perpetua.settlement.stark.field.SmallPrimeField;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * STARK 101 (starkware-industries/stark101, part 1) reproduced through the pluggable field: the
 * FibonacciSq trace, interpolation over the 1024-subgroup and the low-degree extension on the
 * coset 5 * H of size 8192, each against the tutorial's published answers.
 */
class Stark101KnownAnswerTest
{
    private static final PrimeField F = SmallPrimeField.STARK101;

    @Test
    void fibonacciSquareTraceInterpolationAndCosetEvaluation() throws Exception
    {
        final long[] a = new long[1023];
        a[0] = 1;
        a[1] = 3141592;
        for (int i = 2; i < a.length; i++)
        {
            a[i] = F.add(F.mul(a[i - 2], a[i - 2]), F.mul(a[i - 1], a[i - 1]));
        }
        assertEquals(2338775057L, a[1022]);

        final long g = F.twoAdicRoot(10);
        final long[] xs = new long[1023];
        long x = 1;
        for (int i = 0; i < xs.length; i++)
        {
            xs[i] = x;
            x = F.mul(x, g);
        }
        assertEquals(1, F.mul(x, g), "g has order 1024");
        final long[] f = Polynomials.interpolate(F, xs, a);
        assertEquals(1302089273L, Polynomials.evaluate(F, f, 2));

        final long[] coefficients = new long[1024];
        System.arraycopy(f, 0, coefficients, 0, f.length);
        final long[] eval = Ntt.evaluateOnCoset(F, coefficients, F.generator(), 8192);
        final StringBuilder serialized = new StringBuilder();
        for (int i = 0; i < eval.length; i++)
        {
            if (i > 0)
            {
                serialized.append(',');
            }
            serialized.append(eval[i]);
        }
        final byte[] digest = MessageDigest.getInstance("SHA-256").digest(serialized.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals("1d357f674c27194715d1440f6a166e30855550cb8cb8efeb72827f6a1bf9b5bb", HexFormat.of().formatHex(digest));
    }
}

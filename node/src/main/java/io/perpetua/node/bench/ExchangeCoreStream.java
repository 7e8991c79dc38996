package io.perpetua.node.bench;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads exchange-core's benchmark stream (the CSV format described in {@code shared/workloads/README.md})
 * and turns each row into a Perpetua command.
 *
 * <p>Mapping: a uid is an account; exchange-core's order id becomes the client order id (it is
 * unique per open order), so MOVE, REDUCE and CANCEL address orders by client id. PLACE GTC and
 * IOC are limit orders with that time in force; FOK_BUDGET is a FOK at limit {@code budget / size}.
 * MOVE is an amend of the price, REDUCE an amend with {@code reduceBy}. The stream's market allows
 * self-trades, since exchange-core has no self-trade prevention.
 */
public final class ExchangeCoreStream
{
    /** Receives each converted command; the buffer is reused after the call returns. */
    @FunctionalInterface
    public interface CommandSink
    {
        /**
         * @param timed true for the benchmark phase, false for the untimed pre-fill
         */
        void onCommand(boolean timed, DirectBuffer buffer, int offset, int length);
    }

    private final CommandEncoder encoder = new CommandEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);

    /** Encodes the AddMarket command for the stream's symbol (tick 1, lot 1, no band, self-trades allowed). */
    public int encodeMarket(final UnsafeBuffer target, final int marketId)
    {
        return encoder.addMarket(target, 0, marketId, "XC-" + marketId, 1, 1, 0, 1, 1L << 38, 0, 0, 0, 0, 0, true,
            MarketStatus.ACTIVE);
    }

    /**
     * Converts every row of a gzipped stream, in order.
     *
     * @return the number of rows converted
     */
    public long forEach(final Path csvGz, final CommandSink sink) throws IOException
    {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16))
        {
            final String header = reader.readLine();
            if (header == null || !header.startsWith("phase,cmd,symbol,uid,orderId,action,orderType,price,size"))
            {
                throw new IOException("not an exchange-core stream: header " + header);
            }
            final String[] fields = new String[10];
            long rows = 0;
            String line;
            while ((line = reader.readLine()) != null)
            {
                split(line, fields);
                sink.onCommand("bench".equals(fields[0]), buffer, 0, encode(fields, line));
                rows++;
            }
            return rows;
        }
    }

    private int encode(final String[] f, final String line) throws IOException
    {
        final int marketId = Integer.parseInt(f[2]);
        final long account = Long.parseLong(f[3]);
        final long clientId = Long.parseLong(f[4]);
        switch (f[1])
        {
            case "PLACE":
            {
                final Side side = "BID".equals(f[5]) ? Side.BUY : Side.SELL;
                final long size = Long.parseLong(f[8]);
                long price = Long.parseLong(f[7]);
                final TimeInForce tif;
                switch (f[6])
                {
                    case "GTC":
                        tif = TimeInForce.GTC;
                        break;
                    case "IOC":
                        tif = TimeInForce.IOC;
                        break;
                    case "FOK_BUDGET":
                        tif = TimeInForce.FOK;
                        if (price % size != 0)
                        {
                            throw new IOException("FOK_BUDGET budget not a multiple of size: " + line);
                        }
                        price /= size;
                        break;
                    default:
                        throw new IOException("unknown order type: " + line);
                }
                return encoder.placeOrder(buffer, 0, account, marketId, clientId, side, OrderType.LIMIT, tif, (byte)0,
                    SelfTradePrevention.CANCEL_MAKER, price, size, 0);
            }
            case "MOVE":
                return encoder.amendOrder(buffer, 0, account, marketId, 0, clientId, Long.parseLong(f[7]), 0, 0);
            case "REDUCE":
                return encoder.amendOrder(buffer, 0, account, marketId, 0, clientId, 0, 0, Long.parseLong(f[8]));
            case "CANCEL":
                return encoder.cancelOrder(buffer, 0, account, marketId, 0, clientId);
            default:
                throw new IOException("unknown command: " + line);
        }
    }

    /** Splits a CSV line without quoting into {@code fields} (missing trailing fields become empty). */
    private static void split(final String line, final String[] fields)
    {
        int start = 0;
        for (int i = 0; i < fields.length; i++)
        {
            final int comma = start > line.length() ? -1 : line.indexOf(',', start);
            if (comma < 0)
            {
                fields[i] = start <= line.length() ? line.substring(start) : "";
                start = line.length() + 1;
            }
            else
            {
                fields[i] = line.substring(start, comma);
                start = comma + 1;
            }
        }
    }
}

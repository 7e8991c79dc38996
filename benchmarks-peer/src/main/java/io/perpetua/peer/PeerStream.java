package io.perpetua.peer;

import exchange.core2.core.common.OrderAction;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.api.ApiCancelOrder;
import exchange.core2.core.common.api.ApiCommand;
import exchange.core2.core.common.api.ApiMoveOrder;
import exchange.core2.core.common.api.ApiPlaceOrder;
import exchange.core2.core.common.api.ApiReduceOrder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The peer stream ({@code shared/workloads/exchange-core-3m.commands.csv.gz}, format and semantics
 * in that folder's README) as exchange-core API commands, built before the clock starts, as
 * exchange-core's own throughput test does.
 *
 * @param fill   the untimed pre-fill
 * @param timed  the timed commands
 * @param maxUid the largest user id the stream names (users are 1..maxUid)
 * @param symbol the one symbol the stream trades
 */
record PeerStream(List<ApiCommand> fill, List<ApiCommand> timed, long maxUid, int symbol)
{
    private static final String HEADER = "phase,cmd,symbol,uid,orderId,action,orderType,price,size,reservePrice";

    static PeerStream read(final Path file) throws IOException
    {
        final List<ApiCommand> fill = new ArrayList<>();
        final List<ApiCommand> timed = new ArrayList<>(3_000_000);
        long maxUid = 0;
        int symbol = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.US_ASCII)))
        {
            final String header = in.readLine();
            if (!HEADER.equals(header))
            {
                throw new IOException(file + ": expected the header '" + HEADER + "', found '" + header + "'");
            }
            String line;
            int lineNumber = 1;
            while ((line = in.readLine()) != null)
            {
                lineNumber++;
                final String[] f = line.split(",", -1);
                if (f.length != 10)
                {
                    throw new IOException(file + ":" + lineNumber + ": expected 10 fields, found " + f.length);
                }
                final int rowSymbol = Integer.parseInt(f[2]);
                if (symbol == -1)
                {
                    symbol = rowSymbol;
                }
                else if (symbol != rowSymbol)
                {
                    throw new IOException(file + ":" + lineNumber + ": a second symbol " + rowSymbol + " in a one-symbol stream");
                }
                final long uid = Long.parseLong(f[3]);
                maxUid = Math.max(maxUid, uid);
                final ApiCommand command = command(f, rowSymbol, uid, file, lineNumber);
                switch (f[0])
                {
                    case "fill" -> fill.add(command);
                    case "bench" -> timed.add(command);
                    default -> throw new IOException(file + ":" + lineNumber + ": unknown phase " + f[0]);
                }
            }
        }
        return new PeerStream(fill, timed, maxUid, symbol);
    }

    private static ApiCommand command(final String[] f, final int symbol, final long uid, final Path file, final int line)
        throws IOException
    {
        final long orderId = Long.parseLong(f[4]);
        return switch (f[1])
        {
            case "PLACE" -> ApiPlaceOrder.builder()
                .symbol(symbol)
                .uid(uid)
                .orderId(orderId)
                .action(OrderAction.valueOf(f[5]))
                .orderType(OrderType.valueOf(f[6]))
                .price(Long.parseLong(f[7]))
                .size(Long.parseLong(f[8]))
                .reservePrice(Long.parseLong(f[9]))
                .build();
            case "MOVE" -> ApiMoveOrder.builder().symbol(symbol).uid(uid).orderId(orderId).newPrice(Long.parseLong(f[7])).build();
            case "REDUCE" -> ApiReduceOrder.builder().symbol(symbol).uid(uid).orderId(orderId).reduceSize(Long.parseLong(f[8])).build();
            case "CANCEL" -> ApiCancelOrder.builder().symbol(symbol).uid(uid).orderId(orderId).build();
            default -> throw new IOException(file + ":" + line + ": unknown command " + f[1]);
        };
    }
}

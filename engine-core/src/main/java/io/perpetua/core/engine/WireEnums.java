package io.perpetua.core.engine;

import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;

/**
 * Enum values read from untrusted bytes. The generated {@code get} methods throw on an unknown
 * value; a command with one must instead end in a reject, so these return null for anything that
 * is not a defined value (including the SBE null value).
 */
final class WireEnums
{
    private static final Side[] SIDES = {Side.BUY, Side.SELL};
    private static final OrderType[] ORDER_TYPES = {OrderType.LIMIT, OrderType.MARKET, OrderType.STOP_LIMIT,
        OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_LIMIT, OrderType.TAKE_PROFIT_MARKET};
    private static final TimeInForce[] TIME_IN_FORCE = {TimeInForce.GTC, TimeInForce.GTT, TimeInForce.IOC, TimeInForce.FOK};
    private static final SelfTradePrevention[] STP =
        {SelfTradePrevention.CANCEL_MAKER, SelfTradePrevention.CANCEL_TAKER, SelfTradePrevention.CANCEL_BOTH};
    private static final MarketStatus[] MARKET_STATUS = {MarketStatus.ACTIVE, MarketStatus.HALTED};

    private WireEnums()
    {
    }

    static Side side(final short raw)
    {
        return raw >= 0 && raw < SIDES.length ? SIDES[raw] : null;
    }

    static OrderType orderType(final short raw)
    {
        return raw >= 0 && raw < ORDER_TYPES.length ? ORDER_TYPES[raw] : null;
    }

    static TimeInForce timeInForce(final short raw)
    {
        return raw >= 0 && raw < TIME_IN_FORCE.length ? TIME_IN_FORCE[raw] : null;
    }

    static SelfTradePrevention selfTradePrevention(final short raw)
    {
        return raw >= 0 && raw < STP.length ? STP[raw] : null;
    }

    static MarketStatus marketStatus(final short raw)
    {
        return raw >= 0 && raw < MARKET_STATUS.length ? MARKET_STATUS[raw] : null;
    }
}

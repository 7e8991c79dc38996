package io.perpetua.core.engine;

import io.perpetua.core.sbe.ConfigureOracleEncoder;
import io.perpetua.core.sbe.ConfigureRiskEncoder;
import io.perpetua.core.sbe.DepositEncoder;
import io.perpetua.core.sbe.LiquidateEncoder;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.OraclePriceEncoder;
import io.perpetua.core.sbe.SetLeverageEncoder;
import io.perpetua.core.sbe.TransferEncoder;
import io.perpetua.core.sbe.WithdrawEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the account, oracle and liquidation commands (schema version 1) for submission, like
 * {@link CommandEncoder} does for orders: sequence and timestamp are left 0 for the sequencer.
 * Keys and signatures are raw bytes (32 and 64). One instance per thread; nothing is allocated.
 */
public final class AccountCommandEncoder
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final WithdrawEncoder withdraw = new WithdrawEncoder();
    private final TransferEncoder transfer = new TransferEncoder();
    private final SetLeverageEncoder setLeverage = new SetLeverageEncoder();
    private final OraclePriceEncoder oraclePrice = new OraclePriceEncoder();
    private final LiquidateEncoder liquidate = new LiquidateEncoder();
    private final ConfigureRiskEncoder configureRisk = new ConfigureRiskEncoder();
    private final ConfigureOracleEncoder configureOracle = new ConfigureOracleEncoder();

    public int deposit(
        final MutableDirectBuffer buffer,
        final int offset,
        final long accountId,
        final long amount,
        final long depositId,
        final byte[] publicKey)
    {
        deposit.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .amount(amount)
            .depositId(depositId)
            .putPublicKey(publicKey, 0, DepositEncoder.publicKeyLength());
        return MessageHeaderEncoder.ENCODED_LENGTH + deposit.encodedLength();
    }

    public int withdraw(
        final MutableDirectBuffer buffer,
        final int offset,
        final long accountId,
        final long amount,
        final long nonce,
        final long expiryNs,
        final byte[] signature)
    {
        withdraw.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .amount(amount)
            .nonce(nonce)
            .expiryNs(expiryNs)
            .putSignature(signature, 0, WithdrawEncoder.signatureLength());
        return MessageHeaderEncoder.ENCODED_LENGTH + withdraw.encodedLength();
    }

    public int transfer(
        final MutableDirectBuffer buffer,
        final int offset,
        final long fromAccountId,
        final long toAccountId,
        final long amount,
        final long nonce,
        final long expiryNs,
        final byte[] signature)
    {
        transfer.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .fromAccountId(fromAccountId)
            .toAccountId(toAccountId)
            .amount(amount)
            .nonce(nonce)
            .expiryNs(expiryNs)
            .putSignature(signature, 0, TransferEncoder.signatureLength());
        return MessageHeaderEncoder.ENCODED_LENGTH + transfer.encodedLength();
    }

    public int setLeverage(
        final MutableDirectBuffer buffer, final int offset, final long accountId, final int marketId, final int leverage)
    {
        setLeverage.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId)
            .leverage(leverage);
        return MessageHeaderEncoder.ENCODED_LENGTH + setLeverage.encodedLength();
    }

    /**
     * An oracle price command with {@code count} observations: source indexes, prices (price
     * units), the sources' timestamps and their 64-byte signatures.
     */
    public int oraclePrice(
        final MutableDirectBuffer buffer,
        final int offset,
        final int marketId,
        final int count,
        final int[] sourceIndexes,
        final long[] prices,
        final long[] observedNs,
        final byte[][] signatures)
    {
        final OraclePriceEncoder.ObservationsEncoder observations = oraclePrice.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId)
            .observationsCount(count);
        for (int i = 0; i < count; i++)
        {
            observations.next()
                .sourceIndex((short)sourceIndexes[i])
                .price(prices[i])
                .observedNs(observedNs[i])
                .putSignature(signatures[i], 0, OraclePriceEncoder.ObservationsEncoder.signatureLength());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + oraclePrice.encodedLength();
    }

    public int liquidate(final MutableDirectBuffer buffer, final int offset, final long accountId)
    {
        liquidate.wrapAndApplyHeader(buffer, offset, header).sequence(0).timestampNs(0).accountId(accountId);
        return MessageHeaderEncoder.ENCODED_LENGTH + liquidate.encodedLength();
    }

    public int configureRisk(
        final MutableDirectBuffer buffer,
        final int offset,
        final int marketId,
        final int initialMarginPpm,
        final int maintenanceMarginPpm,
        final long openInterestLowerCap,
        final long openInterestUpperCap,
        final int liquidationFeePpm,
        final int liquidationSlicePpm,
        final long minSliceNotional,
        final long maxLiquidationNotional,
        final int fillableFactorPpm)
    {
        configureRisk.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId)
            .initialMarginPpm(initialMarginPpm)
            .maintenanceMarginPpm(maintenanceMarginPpm)
            .openInterestLowerCap(openInterestLowerCap)
            .openInterestUpperCap(openInterestUpperCap)
            .liquidationFeePpm(liquidationFeePpm)
            .liquidationSlicePpm(liquidationSlicePpm)
            .minSliceNotional(minSliceNotional)
            .maxLiquidationNotional(maxLiquidationNotional)
            .fillableFactorPpm(fillableFactorPpm);
        return MessageHeaderEncoder.ENCODED_LENGTH + configureRisk.encodedLength();
    }

    public int configureOracle(
        final MutableDirectBuffer buffer,
        final int offset,
        final int marketId,
        final int quorum,
        final long validityWindowNs,
        final int maxMovePpm,
        final long moveWindowNs,
        final long staleAfterNs,
        final byte[][] sourceKeys)
    {
        final ConfigureOracleEncoder.SourcesEncoder sources = configureOracle.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId)
            .quorum((short)quorum)
            .validityWindowNs(validityWindowNs)
            .maxMovePpm(maxMovePpm)
            .moveWindowNs(moveWindowNs)
            .staleAfterNs(staleAfterNs)
            .sourcesCount(sourceKeys.length);
        for (final byte[] key : sourceKeys)
        {
            sources.next().putPublicKey(key, 0, ConfigureOracleEncoder.SourcesEncoder.publicKeyLength());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + configureOracle.encodedLength();
    }
}

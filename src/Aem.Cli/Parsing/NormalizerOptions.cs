using System.CommandLine;
using Aem.Model;

namespace Aem.Cli.Parsing;

/// <summary>The <c>--normalizer</c> option of <c>evaluate</c>, <c>score</c> and <c>train</c>: how each conditional's S samples are placed.</summary>
internal static class NormalizerOptions
{
    /// <summary>The option for scoring: iid, stratified or quadrature, default iid.</summary>
    public static Option<string> ForScoring() => new("--normalizer")
    {
        Description = "How each conditional's S importance samples are placed: iid (independent draws, the paper's), stratified (one draw at each " +
            "of the proposal's S quantile strata, shifted at random per conditional: unbiased, far smaller error) or quadrature (the strata's " +
            "midpoints: deterministic). See docs/normalizers.md.",
        HelpName = "iid|stratified|quadrature",
        DefaultValueFactory = _ => "iid",
    };

    /// <summary>The option for training: iid or stratified (training needs an unbiased normaliser), default: the preset's.</summary>
    public static Option<string?> ForTraining() => new("--normalizer")
    {
        Description = "How each conditional's S training samples are placed: iid (independent draws, the paper's; default) or stratified " +
            "(one draw per quantile stratum of the proposal). Validation always uses independent draws.",
        HelpName = "iid|stratified",
    };

    /// <summary>Parses <paramref name="text"/>; throws <see cref="UsageException"/> naming the allowed values.</summary>
    public static NormalizerEstimator Parse(string text, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToLowerInvariant() switch
        {
            "iid" => NormalizerEstimator.Iid,
            "stratified" => NormalizerEstimator.Stratified,
            "quadrature" when !training => NormalizerEstimator.Quadrature,
            _ when training => throw new UsageException($"--normalizer must be iid or stratified for training, not '{text}'."),
            _ => throw new UsageException($"--normalizer must be iid, stratified or quadrature, not '{text}'."),
        };
    }

    /// <summary>The estimator's name as the option spells it.</summary>
    public static string Name(NormalizerEstimator estimator) => estimator.ToString().ToLowerInvariant();
}

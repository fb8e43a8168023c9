using Aem.Data;
using Aem.Model;
using Aem.Runtime;
using Aem.Sampling;
using static TorchSharp.torch;

namespace Aem.Runs;

/// <summary>
/// Draws samples from a trained run in the data's own units: by sampling–importance–resampling from the AEM
/// (paper §3.3) or exactly from its proposal. A conditional run samples x given each row of a table of
/// contexts, in the context's own units (standardised with the run's transform before the model sees them).
/// </summary>
public static class RunSampling
{
    /// <summary>
    /// <paramref name="count"/> samples <c>[count, D]</c>, or for a conditional run <paramref name="count"/> for
    /// each row of <paramref name="contexts"/> (<c>[R·count, D]</c>, rows <c>r·count .. r·count + count − 1</c>
    /// drawn given context row r); data units, on the model's device. Throws <see cref="DataFormatException"/>
    /// naming the contexts' source if their width is not the run's, and <see cref="ArgumentException"/> if a
    /// context is missing or given to a run without one.
    /// </summary>
    public static Tensor Sample(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        long count,
        NumericTable? contexts,
        Generator? generator = null,
        int proposalSamples = ImportanceResampler.DefaultProposalSamples,
        bool fromProposal = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(model);
        int c = model.Options.ConditioningFeatures;
        if (c == 0 && contexts is not null) throw new ArgumentException($"A context is given, but the run {run.Checkpoint} models p(x) without one.", nameof(contexts));
        if (c > 0 && contexts is null) throw new ArgumentException($"The run {run.Checkpoint} models p(x | c) with {Plural.Of(c, "context value")}: give the contexts to sample at.", nameof(contexts));
        if (contexts is not null && contexts.Columns != c)
        {
            throw new DataFormatException(contexts.Source, null, Math.Min(contexts.Columns, c) + 1,
                $"{Plural.Of(contexts.Columns, "context value")} per row, but the run {run.Checkpoint} is conditioned on {c}");
        }
        using var scope = NewDisposeScope();
        var parameter = model.parameters().First();
        Tensor? given = null;
        if (contexts is not null)
        {
            var raw = contexts.ToTensor().to(parameter.dtype, parameter.device);
            given = run.File.ContextStandardizer is { } contextStandardizer ? contextStandardizer.Transform(raw) : raw;
        }
        var samples = fromProposal
            ? ProposalSampler.Sample(model, count, generator, context: given)
            : ImportanceResampler.Sample(model, count, proposalSamples, generator, context: given);
        var inDataUnits = run.File.Standardizer is { } standardizer ? standardizer.Inverse(samples) : samples;
        return inDataUnits.MoveToOuterDisposeScope();
    }
}

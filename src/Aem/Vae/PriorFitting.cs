using Aem.Presets;
using Aem.Model;
using Aem.Training;

namespace Aem.Vae;

/// <summary>
/// Settings for fitting a prior to aggregate-posterior latents with <see cref="Trainer{TStep, TScore}"/>: the paper's
/// "vae prior" preset (Table 3: batch 256, ResMADE width 512, dropout 0.5, M = 20, 100,000 steps, no
/// warm-up). The proposal-only prior is the same model trained with α = 0 for every step (the whole
/// run is warm-up), so its energy network never trains and only <c>log q</c> is used.
/// </summary>
internal static class PriorFitting
{
    public const string PresetName = "vae-prior";

    /// <summary>The AEM architecture for <paramref name="latents"/> latent dimensions.</summary>
    public static AemOptions Model(int latents) => Preset.Get(PresetName).Model(latents);

    /// <summary>Training options for <paramref name="kind"/> with a step budget (default: the paper's 100,000).</summary>
    public static TrainerOptions Training(LatentPriorKind kind, int? steps = null)
    {
        var options = Preset.Get(PresetName).Training(steps);
        return kind == LatentPriorKind.Proposal ? options with { WarmupSteps = options.Steps } : options;
    }
}

using Aem.Data;

namespace Aem.Presets;

/// <summary>
/// The settings a run starts from before any override: a paper preset (the paper's datasets and tasks, or
/// one named), or, for a user's own table, <see cref="TableDefaults"/> scaled to its rows and columns. Gives
/// the whole of the settings for any step budget, since the warm-up and validation cadence follow it.
/// </summary>
public sealed class SettingsBasis
{
    private readonly Func<int, int?, AemSettings> forSteps;

    private SettingsBasis(string name, int defaultSteps, Func<int, int?, AemSettings> forSteps)
    {
        Name = name;
        DefaultSteps = defaultSteps;
        this.forSteps = forSteps;
    }

    /// <summary>The preset's name, or <see cref="TableDefaults.Name"/>.</summary>
    public string Name { get; }

    /// <summary>Steps when neither a step nor a time budget is given.</summary>
    public int DefaultSteps { get; }

    /// <summary>The settings for <paramref name="steps"/> steps (the warm-up scaled to them unless given).</summary>
    /// <param name="steps">The step budget.</param>
    /// <param name="warmupSteps">Proposal-only warm-up steps; null scales the basis's warm-up to <paramref name="steps"/>.</param>
    public AemSettings For(int steps, int? warmupSteps = null) => forSteps(steps, warmupSteps);

    /// <summary>A paper preset for data with <paramref name="features"/> columns.</summary>
    /// <param name="preset">The preset, e.g. <c>Preset.Get("power")</c>.</param>
    /// <param name="features">D, the data's columns.</param>
    public static SettingsBasis Of(Preset preset, int features)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return new SettingsBasis(preset.Name, preset.Steps, (steps, warmup) =>
            new AemSettings(preset.Model(features), preset.Training(steps, warmup), preset.Objective()));
    }

    /// <summary>The table-scaled defaults for <paramref name="trainRows"/> rows of <paramref name="columns"/> values.</summary>
    public static SettingsBasis ForTable(long trainRows, int columns) =>
        new(TableDefaults.Name, TableDefaults.For(trainRows, columns).Training.Steps, (steps, warmup) =>
        {
            var settings = TableDefaults.For(trainRows, columns, steps);
            return warmup is { } w ? settings with { Training = settings.Training with { WarmupSteps = w } } : settings;
        });

    /// <summary>The basis for <paramref name="data"/>: a user's file gets the table-scaled defaults, everything else its preset (<see cref="Preset.For"/>).</summary>
    /// <param name="data">The data request.</param>
    /// <param name="trainRows">Training rows, which the table-scaled defaults grow with.</param>
    /// <param name="columns">D, the data's columns.</param>
    public static SettingsBasis For(DataRequest data, long trainRows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.File is not null ? ForTable(trainRows, columns) : Of(Preset.For(data), columns);
    }
}

namespace Aem.Training;

/// <summary>
/// The checks behind the options records' <c>Validate()</c>: each throws an
/// <see cref="ArgumentException"/> whose message and parameter name name the setting. NaN fails both.
/// </summary>
internal static class OptionChecks
{
    public static void AtLeast(double value, double min, string name)
    {
        if (!(value >= min)) throw new ArgumentException($"{name} must be at least {min} (got {value}).", name);
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0)) throw new ArgumentException($"{name} must be positive (got {value}).", name);
    }
}

namespace Aem.Training;

/// <summary>A validation result; the trainer keeps the model with the best <see cref="Criterion"/>.</summary>
public interface IValidationScore
{
    /// <summary>Higher is better; null or non-finite values never count as an improvement.</summary>
    double? Criterion { get; }
}

namespace Aem.Training;

/// <summary>Why <see cref="Trainer{TStep, TScore}.Run"/> returned.</summary>
public enum StopReason
{
    /// <summary>The step budget was reached.</summary>
    Completed,

    /// <summary>The validation score stopped improving (<see cref="TrainerOptions.Patience"/>).</summary>
    EarlyStopped,

    /// <summary>The caller cancelled (Ctrl-C).</summary>
    Cancelled,

    /// <summary>The wall-time limit (<see cref="TrainerOptions.MaxDuration"/>) ran out.</summary>
    TimeLimit,

    /// <summary>Too many steps in a row had a non-finite loss or gradient.</summary>
    NonFinite,
}

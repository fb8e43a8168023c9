namespace Aem.Training;

/// <summary>Why <see cref="Trainer.Run"/> returned.</summary>
public enum StopReason
{
    Completed,
    EarlyStopped,
    Cancelled,
    TimeLimit,
    NonFinite,
}

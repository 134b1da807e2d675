using System.Collections.Immutable;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Who SubjectAccessReview allows. By default every authenticated user except <see cref="TokenAuthenticator.UnprivilegedUser"/>
/// and system:anonymous; tests grant or revoke single users at run time.
/// </summary>
internal sealed class ReviewPolicy
{
    private const string Anonymous = "system:anonymous";

    // user → allowed. Swapped wholesale, so a review reads one consistent map while grants and revokes race.
    private ImmutableDictionary<string, bool> _overrides = ImmutableDictionary.Create<string, bool>(StringComparer.Ordinal);

    // user → how long its SubjectAccessReviews take to answer; swapped wholesale as the overrides.
    private ImmutableDictionary<string, TimeSpan> _delays = ImmutableDictionary.Create<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>From now on every SubjectAccessReview of <paramref name="user"/> answers after <paramref name="delay"/> (zero: at once).</summary>
    public void Delay(string user, TimeSpan delay) => ImmutableInterlocked.AddOrUpdate(ref _delays, user, delay, (_, _) => delay);

    public TimeSpan DelayFor(string user) => Volatile.Read(ref _delays).TryGetValue(user, out var delay) ? delay : TimeSpan.Zero;

    public void Grant(string user) => ImmutableInterlocked.AddOrUpdate(ref _overrides, user, true, static (_, _) => true);

    public void Revoke(string user) => ImmutableInterlocked.AddOrUpdate(ref _overrides, user, false, static (_, _) => false);

    public bool Allows(string user) =>
        Volatile.Read(ref _overrides).TryGetValue(user, out var allowed)
            ? allowed
            : user.Length > 0 && user != Anonymous && user != TokenAuthenticator.UnprivilegedUser;

    public static string Reason(string user, bool allowed) =>
        allowed ? "simulator allows every authenticated user" : "simulator denies " + (user.Length == 0 ? "an empty user" : user);
}

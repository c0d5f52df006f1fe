using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>The real case and retention services wired by hand over a test catalogue and a store.</summary>
public sealed class CasesHarness(CatalogueFixture catalogue, IEvidenceStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _time = clock ?? TimeProvider.System;

    public IOptions<CasesOptions> CaseOptions { get; } = Options.Create(new CasesOptions());

    public AuditTrail Audit => new(catalogue.DataSource, _time);

    public RetentionPolicy Policy => new(Options.Create(new RetentionOptions()), _time);

    public CaseService Cases => new(catalogue.DataSource, new CaseValidator(CaseOptions), Audit, CaseOptions, _time, NullLogger<CaseService>.Instance);

    public CaseCsvImport CsvImport => new(Cases);

    public RecordingLinker Linker => new(catalogue.DataSource, Audit, CaseOptions, _time, NullLogger<RecordingLinker>.Instance);

    public CompletenessService Completeness => new(catalogue.DataSource, CaseOptions, _time);

    public RetentionEnforcer Enforcer => new(catalogue.DataSource, store, Policy, Audit, NullLogger<RetentionEnforcer>.Instance);

    public RetentionReconciler Reconciler => new(catalogue.DataSource, store, Policy, Enforcer, Audit, NullLogger<RetentionReconciler>.Instance);

    public DispositionService Disposition => new(catalogue.DataSource, store, Policy, Audit, _time, NullLogger<DispositionService>.Instance);

    public LegalHoldService Holds => new(catalogue.DataSource, Audit, _time);
}

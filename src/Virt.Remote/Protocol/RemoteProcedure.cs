namespace Virt.Remote.Protocol;

/// <summary>The procedures of libvirt's remote program this driver calls (remote_protocol.x, <c>remote_procedure</c>).</summary>
internal enum RemoteProcedure
{
    ConnectOpen = 1,
    ConnectClose = 2,
    ConnectGetType = 3,
    ConnectGetVersion = 4,
    ConnectListDefinedDomains = 21,
    DomainCreate = 9,
    DomainDefineXml = 11,
    DomainDestroy = 12,
    DomainGetXmlDesc = 14,
    DomainGetAutostart = 15,
    DomainGetInfo = 16,
    DomainLookupById = 22,
    DomainLookupByName = 23,
    DomainLookupByUuid = 24,
    ConnectNumOfDefinedDomains = 25,
    DomainReboot = 27,
    DomainResume = 28,
    DomainSetAutostart = 29,
    DomainShutdown = 33,
    DomainSuspend = 34,
    DomainUndefine = 35,
    ConnectListDomains = 37,
    ConnectNumOfDomains = 51,
    ConnectGetHostname = 59,
    ConnectSupportsFeature = 60,
    AuthList = 66,
    AuthSaslInit = 67,
    AuthPolkit = 70,
    DomainEventLifecycle = 107,
    DomainIsActive = 150,
    DomainIsPersistent = 151,
    ConnectGetLibVersion = 157,
    ConnectDomainEventRegisterAny = 167,
    DomainSnapshotCreateXml = 185,
    DomainSnapshotGetXmlDesc = 186,
    DomainSnapshotNum = 187,
    DomainSnapshotListNames = 188,
    DomainSnapshotLookupByName = 189,
    DomainHasCurrentSnapshot = 190,
    DomainSnapshotCurrent = 191,
    DomainRevertToSnapshot = 192,
    DomainSnapshotDelete = 193,
    DomainCreateWithFlags = 196,
    DomainIsUpdated = 202,
    DomainGetState = 212,
    DomainUndefineFlags = 231,
    DomainDestroyFlags = 234,
    DomainSnapshotGetParent = 244,
    DomainSnapshotNumChildren = 246,
    DomainSnapshotListChildrenNames = 247,
    DomainShutdownFlags = 258,
    DomainSnapshotIsCurrent = 271,
    DomainSnapshotHasMetadata = 272,
    ConnectListAllDomains = 273,
    DomainListAllSnapshots = 274,
    DomainSnapshotListAllChildren = 275,
    ConnectDomainEventCallbackRegisterAny = 316,
    ConnectDomainEventCallbackDeregisterAny = 317,
    DomainEventCallbackLifecycle = 318,
    DomainDefineXmlFlags = 350,
}

/// <summary>Constants of the remote program.</summary>
internal static class RemoteLimits
{
    /// <summary>REMOTE_DOMAIN_LIST_MAX.</summary>
    public const int DomainListMax = 16384;

    /// <summary>REMOTE_DOMAIN_SNAPSHOT_LIST_MAX.</summary>
    public const int SnapshotListMax = 16384;

    /// <summary>REMOTE_AUTH_TYPE_LIST_MAX.</summary>
    public const int AuthTypeListMax = 20;

    /// <summary>VIR_DRV_FEATURE_PROGRAM_KEEPALIVE.</summary>
    public const int FeatureProgramKeepAlive = 10;

    /// <summary>VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK: the daemon knows the CONNECT_DOMAIN_EVENT_CALLBACK_* procedures.</summary>
    public const int FeatureRemoteEventCallback = 14;
}

/// <summary>remote_auth_type.</summary>
internal enum RemoteAuthType
{
    None = 0,
    Sasl = 1,
    Polkit = 2,
}

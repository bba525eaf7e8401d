// Types of FolioClient's public API that are defined in FolioWire (no product of its own), for
// apps that import only the products: FolioError.code, FolioBlockingClient.call's method,
// FolioClient.Configuration.limits.
@_exported import enum FolioWire.Folio_V1_StatusCode
@_exported import enum FolioWire.FolioMethod
@_exported import struct FolioWire.WireLimits

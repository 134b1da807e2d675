namespace TinyMetrics.Rendering;

/// <summary>
/// The metrics.k8s.io kinds as k8s.io/metrics publishes them, written for v1beta1; v1 has the same schemas under
/// its own names (<see cref="OpenApiDocuments"/> substitutes the version).
/// </summary>
/// <remarks>
/// Neutral form, turned into OpenAPI v2 and v3 by <see cref="OpenApiSchemaWriter"/>: a "$ref" holds the bare
/// definition name, and "default" is kept (v3 publishes it, v2 drops it as kube-openapi's v2 builder does).
/// </remarks>
internal static class OpenApiMetricsSchemas
{
    public const string Json = """
        {
          "io.k8s.metrics.pkg.apis.metrics.v1beta1.ContainerMetrics": {
            "description": "ContainerMetrics sets resource usage metrics of a container.",
            "type": "object",
            "properties": {
              "name": {
                "description": "Container name corresponding to the one from pod.spec.containers.",
                "default": "",
                "type": "string"
              },
              "usage": {
                "description": "The memory usage is the memory working set.",
                "type": "object",
                "additionalProperties": {
                  "$ref": "io.k8s.apimachinery.pkg.api.resource.Quantity"
                }
              }
            },
            "required": [
              "name",
              "usage"
            ]
          },
          "io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics": {
            "description": "NodeMetrics sets resource usage metrics of a node.",
            "type": "object",
            "properties": {
              "kind": {
                "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "type": "string"
              },
              "apiVersion": {
                "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                "type": "string"
              },
              "metadata": {
                "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
                "default": {},
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
              },
              "timestamp": {
                "description": "The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].",
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
              },
              "window": {
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.Duration"
              },
              "usage": {
                "description": "The memory usage is the memory working set.",
                "type": "object",
                "additionalProperties": {
                  "$ref": "io.k8s.apimachinery.pkg.api.resource.Quantity"
                }
              }
            },
            "required": [
              "timestamp",
              "window",
              "usage"
            ]
          },
          "io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetricsList": {
            "description": "NodeMetricsList is a list of NodeMetrics.",
            "type": "object",
            "properties": {
              "kind": {
                "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "type": "string"
              },
              "apiVersion": {
                "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                "type": "string"
              },
              "metadata": {
                "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "default": {},
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
              },
              "items": {
                "description": "List of node metrics.",
                "type": "array",
                "items": {
                  "$ref": "io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics"
                }
              }
            },
            "required": [
              "items"
            ]
          },
          "io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics": {
            "description": "PodMetrics sets resource usage metrics of a pod.",
            "type": "object",
            "properties": {
              "kind": {
                "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "type": "string"
              },
              "apiVersion": {
                "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                "type": "string"
              },
              "metadata": {
                "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
                "default": {},
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
              },
              "timestamp": {
                "description": "The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].",
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
              },
              "window": {
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.Duration"
              },
              "containers": {
                "description": "Metrics for all containers are collected within the same time window.",
                "type": "array",
                "items": {
                  "$ref": "io.k8s.metrics.pkg.apis.metrics.v1beta1.ContainerMetrics"
                },
                "x-kubernetes-list-type": "atomic"
              }
            },
            "required": [
              "timestamp",
              "window",
              "containers"
            ]
          },
          "io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetricsList": {
            "description": "PodMetricsList is a list of PodMetrics.",
            "type": "object",
            "properties": {
              "kind": {
                "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "type": "string"
              },
              "apiVersion": {
                "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                "type": "string"
              },
              "metadata": {
                "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "default": {},
                "$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
              },
              "items": {
                "description": "List of pod metrics.",
                "type": "array",
                "items": {
                  "$ref": "io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics"
                }
              }
            },
            "required": [
              "items"
            ]
          }
        }
        """;
}

{{/*
The name defaults to "metrics-server", not the chart's name: for the same release name and values
every object gets the name and selector labels metrics-server's chart gives it, so kubectl, dashboards
and `helm upgrade` of an existing metrics-server release (a Deployment's selector is immutable) keep working.
*/}}
{{- define "tinymetrics.name" -}}
{{- default "metrics-server" .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release name alone when it already contains the name, else "<release>-<name>"; 63 characters at most. */}}
{{- define "tinymetrics.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "tinymetrics.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tinymetrics.namespace" -}}
{{- .Values.namespaceOverride | default .Release.Namespace }}
{{- end }}

{{- define "tinymetrics.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tinymetrics.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tinymetrics.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "tinymetrics.labels" -}}
helm.sh/chart: {{ include "tinymetrics.chart" . }}
{{ include "tinymetrics.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "tinymetrics.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tinymetrics.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "tinymetrics.image" -}}
{{- printf "%s:%s" .Values.image.repository (default (printf "v%s" .Chart.AppVersion) .Values.image.tag) }}
{{- end }}

{{/* The Secret that holds the serving certificate when the pod does not generate its own. */}}
{{- define "tinymetrics.tlsSecretName" -}}
{{- if and (eq .Values.tls.type "existingSecret") .Values.tls.existingSecret.name }}
{{- .Values.tls.existingSecret.name }}
{{- else }}
{{- include "tinymetrics.fullname" . }}
{{- end }}
{{- end }}

{{- define "tinymetrics.validateTls" -}}
{{- if not (has .Values.tls.type (list "metrics-server" "helm" "cert-manager" "existingSecret")) }}
{{- fail (printf "tls.type must be metrics-server, helm, cert-manager or existingSecret, not %q" .Values.tls.type) }}
{{- end }}
{{- end }}

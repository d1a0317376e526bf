{{- define "zkop.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "zkop.labels" -}}
app.kubernetes.io/name: zkop
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "zkop.selectorLabels" -}}
app.kubernetes.io/name: zkop
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "zkop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "zkop.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

package main

import (
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/strvals"
)

// valuesReference is the data one spec.valuesFrom entry resolved to (the
// ConfigMap or Secret key's text), with its targetPath and literal fields.
type valuesReference struct {
	Data       string `json:"data"`
	TargetPath string `json:"targetPath,omitempty"`
	Literal    bool   `json:"literal,omitempty"`
}

type valuesError struct {
	index int
	err   error
}

func (e *valuesError) Error() string { return e.err.Error() }

// mergeValues is fluxcd/pkg/chartutil ChartValuesFromReferences (v1.27.1, the
// version helm-controller v1.6.3 uses) after the references are read: each
// reference merged in order, then spec.values over them; a reference with a
// targetPath is set at that path over everything merged so far, spec.values
// included, as Helm's --set parses it (--set-string when quoted, verbatim
// when literal).
func mergeValues(values map[string]any, refs []valuesReference) (map[string]any, error) {
	result := map[string]any{}
	for i, ref := range refs {
		if ref.TargetPath != "" {
			result = loader.MergeMaps(result, values)
			if err := setPath(result, ref.TargetPath, ref.Data, ref.Literal); err != nil {
				return nil, &valuesError{index: i, err: err}
			}
			continue
		}
		read, err := common.ReadValues([]byte(ref.Data))
		if err != nil {
			return nil, &valuesError{index: i, err: err}
		}
		result = loader.MergeMaps(result, read)
	}
	return loader.MergeMaps(result, values), nil
}

func setPath(values map[string]any, path, value string, literal bool) error {
	if literal {
		// Escape what --set would read as syntax, so the value is kept as it is.
		escaped := strings.NewReplacer(`\`, `\\`, `,`, `\,`, `[`, `\[`, `]`, `\]`, `{`, `\{`, `}`, `\}`).Replace(value)
		return strvals.ParseIntoString(path+"="+escaped, values)
	}
	single := strings.HasPrefix(value, "'") && strings.HasSuffix(value, "'")
	double := strings.HasPrefix(value, `"`) && strings.HasSuffix(value, `"`)
	if single || double {
		return strvals.ParseIntoString(path+"="+strings.Trim(value, `'"`), values)
	}
	return strvals.ParseInto(path+"="+value, values)
}

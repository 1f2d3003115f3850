package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	util "helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
)

// schemaError is one violation of a chart's values.schema.json.
type schemaError struct {
	// Chart is the (sub)chart whose schema it is.
	Chart string `json:"chart"`
	// Path is a JSON pointer into the release's values (a subchart's values
	// are below its name).
	Path    string `json:"path"`
	Message string `json:"message"`
	// Key: the violation is the key itself (a property the schema does not allow).
	Key bool `json:"key,omitempty"`
}

var printer = message.NewPrinter(language.English)

// validateValues is Helm's ValidateAgainstSchema (pkg/chart/common/util/
// jsonschema.go, called by ToRenderValuesWithSchemaValidation) on the values
// Helm validates (dependencies processed, coalesced with the chart's
// defaults), with the same library, collecting each violation with its
// location instead of one text. $refs load from http(s) only with network.
func validateValues(ch *chart.Chart, values map[string]any, network bool) ([]schemaError, error) {
	if err := chartutil.ProcessDependencies(ch, values); err != nil {
		return nil, fmt.Errorf("chart dependencies processing failed: %w", err)
	}
	coalesced, err := util.CoalesceValues(ch, values)
	if err != nil {
		return nil, err
	}
	return validateChart(ch, coalesced.AsMap(), "", network)
}

func validateChart(ch *chart.Chart, values map[string]any, prefix string, network bool) ([]schemaError, error) {
	var out []schemaError
	if ch.Schema != nil {
		problems, err := validateSingle(values, ch.Schema, network)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ch.Name(), err)
		}
		for _, p := range problems {
			p.Chart = ch.Name()
			p.Path = prefix + p.Path
			out = append(out, p)
		}
	}
	for _, sub := range ch.Dependencies() {
		raw, ok := values[sub.Name()]
		if !ok || raw == nil {
			continue
		}
		subValues, ok := raw.(map[string]any)
		if !ok {
			out = append(out, schemaError{
				Chart:   sub.Name(),
				Path:    prefix + "/" + escapePointer(sub.Name()),
				Message: fmt.Sprintf("invalid type for values: expected object (map), got %T", raw),
			})
			continue
		}
		more, err := validateChart(sub, subValues, prefix+"/"+escapePointer(sub.Name()), network)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

func validateSingle(values map[string]any, schemaJSON []byte, network bool) (problems []schemaError, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unable to validate schema: %s", r)
		}
	}()
	schema, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	loader := jsonschema.SchemeURLLoader{"file": jsonschema.FileLoader{}, "urn": permissiveLoader{}}
	web := httpLoader{network: network, client: &http.Client{Timeout: 15 * time.Second}}
	loader["http"], loader["https"] = web, web
	compiler := jsonschema.NewCompiler()
	compiler.UseLoader(loader)
	if err := compiler.AddResource("file:///values.schema.json", schema); err != nil {
		return nil, err
	}
	validator, err := compiler.Compile("file:///values.schema.json")
	if err != nil {
		return nil, err
	}
	err = validator.Validate(values)
	var ve *jsonschema.ValidationError
	if err == nil {
		return nil, nil
	}
	if !errors.As(err, &ve) {
		return nil, err
	}
	return leaves(ve, nil), nil
}

// leaves: the violations without causes, each at the value it is about (an
// unknown key at that key).
func leaves(e *jsonschema.ValidationError, out []schemaError) []schemaError {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			out = leaves(c, out)
		}
		return out
	}
	path := pointer(e.InstanceLocation)
	if extra, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(extra.Properties) > 0 {
		for _, name := range extra.Properties {
			out = append(out, schemaError{
				Path:    path + "/" + escapePointer(name),
				Message: fmt.Sprintf("at '%s': additional property '%s' not allowed", path+"/"+escapePointer(name), name),
				Key:     true,
			})
		}
		return out
	}
	return append(out, schemaError{
		Path:    path,
		Message: fmt.Sprintf("at '%s': %s", path, e.ErrorKind.LocalizedString(printer)),
	})
}

func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteString("/" + escapePointer(t))
	}
	return sb.String()
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// permissiveLoader: an unresolved urn: $ref is a schema that accepts anything, as in Helm.
type permissiveLoader struct{}

func (permissiveLoader) Load(string) (any, error) {
	return jsonschema.UnmarshalJSON(strings.NewReader("true"))
}

// httpLoader loads http(s) $refs as Helm's HTTPURLLoader does, only when the network is allowed.
type httpLoader struct {
	network bool
	client  *http.Client
}

func (l httpLoader) Load(url string) (any, error) {
	if !l.network {
		return nil, fmt.Errorf("%s is not loaded without network access (network.charts in .fluxgate.yaml)", url)
	}
	res, err := l.client.Get(url)
	if err != nil {
		return nil, fmt.Errorf("HTTP request failed for %s: %w", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP request to %s returned status %d (%s)", url, res.StatusCode, http.StatusText(res.StatusCode))
	}
	return jsonschema.UnmarshalJSON(res.Body)
}

import type { JSX } from 'preact';
import { listServices } from '../api/read-api.js';
import { useApi } from '../state/use-api.js';
import { FilterSelect, namesToOptions } from './filter-select.js';

interface ServicesFilterProps {
  service: string;
  environment: string;
  onChange: (changes: { service?: string; environment?: string }) => void;
}

/** Service and environment selects filled from `GET /api/services`. */
export function ServicesFilter({ service, environment, onChange }: ServicesFilterProps): JSX.Element {
  const services = useApi('services', listServices, { pollMs: 30_000 });
  const list = services.data ?? [];
  const envs = list.filter((s) => !service || s.name === service).flatMap((s) => s.environments);
  return (
    <>
      <FilterSelect
        label="Service"
        name="service"
        value={service}
        options={namesToOptions('All services', list.map((s) => s.name))}
        onChange={(v) => onChange({ service: v })}
      />
      <FilterSelect
        label="Environment"
        name="environment"
        value={environment}
        options={namesToOptions('All environments', envs)}
        onChange={(v) => onChange({ environment: v })}
      />
    </>
  );
}

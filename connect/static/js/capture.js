// Guided capture (prise de vue guidée): each shot in turn with its instruction, the camera, a
// preview, the same quality measures as the server (documents/quality.py) and a retake. The
// photos kept go to composer.js at submit ("composer:collect") with their provenance facts:
// capture time, position (only if the user ticked it), SHA-256 of the original bytes.
// Without this file each shot is a plain camera input that the server checks alike.
(() => {
  "use strict";

  // Form token → shot key → photos: survives the composer's re-render after a refusal.
  const states = new Map();
  let position = null; // { latitude, longitude } once the user allowed it

  const hex = (buffer) =>
    Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");

  async function sha256(file) {
    // crypto.subtle exists on HTTPS (and localhost) only; without it the expert reads
    // "empreinte d'origine absente", never a made-up value.
    if (!window.crypto || !window.crypto.subtle) return "";
    try {
      return hex(await window.crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
    } catch (error) {
      return "";
    }
  }

  // quality.py's measures: grey (ITU-R 601, as Pillow's "L"), downscaled to analysisSide on the
  // long side; mean grey level, and the variance of the 3×3 Laplacian + 128 clipped to 0–255,
  // borders left out.
  async function measure(file, limits) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (error) {
      return null; // a format this browser cannot decode (HEIC on Chrome): the server decides
    }
    const { width, height } = bitmap;
    const scale = Math.min(1, limits.analysisSide / Math.max(width, height));
    const w = Math.max(3, Math.round(width * scale));
    const h = Math.max(3, Math.round(height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    // Filtered downscale, as Pillow's (the default "low" aliases and reads sharper).
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, w, h);
    if (bitmap.close) bitmap.close();
    const rgba = context.getImageData(0, 0, w, h).data;
    const grey = new Uint8ClampedArray(w * h);
    let sum = 0;
    for (let i = 0, p = 0; p < grey.length; i += 4, p += 1) {
      const value = (rgba[i] * 19595 + rgba[i + 1] * 38470 + rgba[i + 2] * 7471 + 0x8000) >> 16;
      grey[p] = value;
      sum += value;
    }
    let count = 0;
    let mean = 0;
    let squares = 0;
    for (let y = 1; y < h - 1; y += 1) {
      for (let x = 1; x < w - 1; x += 1) {
        const p = y * w + x;
        const raw = grey[p - 1] + grey[p + 1] + grey[p - w] + grey[p + w] - 4 * grey[p] + 128;
        const value = raw < 0 ? 0 : raw > 255 ? 255 : raw;
        count += 1;
        const delta = value - mean;
        mean += delta / count;
        squares += delta * (value - mean);
      }
    }
    return { width, height, luminance: sum / grey.length, sharpness: count ? squares / count : 0 };
  }

  function problemsOf(measures, limits) {
    const found = [];
    const long = Math.max(measures.width, measures.height);
    const short = Math.min(measures.width, measures.height);
    if (long < limits.minLongSide || short < limits.minShortSide) {
      found.push(limits.messages.small
        .replace("{width}", measures.width).replace("{height}", measures.height)
        .replace("{min_long}", limits.minLongSide).replace("{min_short}", limits.minShortSide));
    }
    if (measures.luminance < limits.minLuminance) found.push(limits.messages.dark);
    else if (measures.sharpness < limits.minSharpness) found.push(limits.messages.blurred);
    return found;
  }

  const good = (photo) => photo.problems.length === 0;
  const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

  // The plate shot read by the server before sending (connect/readings): a JPEG copy of at most
  // READ_SIDE px goes up, then its state is asked every second for up to READ_POLLS seconds.
  // Only a help: whatever it says (or if it fails), the repairer can still send.
  const READ_SIDE = 1600;
  const READ_POLLS = 45;

  async function downscaled(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, READ_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    return new Promise((resolve) => { canvas.toBlob(resolve, "image/jpeg", 0.85); });
  }

  async function readPlate(url, token, photo, show) {
    photo.reading = { text: "Lecture de la plaque…", ok: null };
    show();
    let answer = null;
    try {
      const body = new FormData();
      body.append("photo", await downscaled(photo.file), "plaque.jpg");
      const started = await fetch(url, {
        method: "POST", body, headers: { "X-CSRFToken": token }, credentials: "same-origin",
      });
      if (started.status === 202) {
        const poll = (await started.json()).url;
        for (let attempt = 0; attempt < READ_POLLS && photo.reading; attempt += 1) {
          await pause(1000);
          const state = await fetch(poll, { credentials: "same-origin" });
          if (!state.ok) break;
          const body_ = await state.json();
          if (body_.state === "done") { answer = body_; break; }
        }
      }
    } catch (error) { /* offline or refused: nothing to say, the photo stays */ }
    if (!photo.reading) return; // retaken or removed meanwhile
    photo.reading = answer
      ? { text: answer.message, ok: answer.ok }
      : { text: "Plaque non lue : vérifiez-la vous-même avant d'envoyer.", ok: null };
    show();
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function init(form) {
    const fieldset = form && form.querySelector("[data-capture]");
    if (!fieldset || fieldset.dataset.captureReady) return;
    fieldset.dataset.captureReady = "1";
    const limits = JSON.parse(fieldset.dataset.thresholds);
    const tokenInput = form.querySelector("input[name=token]");
    const token = tokenInput ? tokenInput.value : "";
    const kept = states.get(token) || {};
    states.set(token, kept);
    const missingLine = form.querySelector("[data-capture-missing]");
    const steps = Array.from(fieldset.querySelectorAll("[data-shot]"));
    const readingUrl = fieldset.dataset.plateReading || "";
    const csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    const buttons = new Map();
    const renders = new Map();

    const missing = () => steps
      .filter((step) => step.dataset.required === "1" && !(kept[step.dataset.shot] || []).some(good))
      .map((step) => step.dataset.label);

    function updateMissing() {
      if (!missingLine) return;
      const labels = missing();
      missingLine.removeAttribute("role");
      missingLine.textContent = labels.length
        ? `Envoi possible quand ces photos obligatoires seront prises : ${labels.join(", ")}.`
        : "";
    }

    const geo = fieldset.querySelector("[data-capture-geo]");
    if (geo && navigator.geolocation) {
      geo.hidden = false;
      const box = geo.querySelector("[data-geo]");
      const status = geo.querySelector("[data-geo-status]");
      box.checked = position !== null;
      box.addEventListener("change", () => {
        if (!box.checked) {
          position = null;
          status.textContent = "Les photos partent sans position.";
          return;
        }
        status.textContent = "Position en cours…";
        navigator.geolocation.getCurrentPosition(
          (found) => {
            position = { latitude: found.coords.latitude, longitude: found.coords.longitude };
            status.textContent = "Position jointe aux photos prises désormais.";
          },
          () => {
            position = null;
            box.checked = false;
            status.textContent = "Position refusée ou indisponible : les photos partent sans position.";
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
        );
      });
    }

    steps.forEach((step, index) => {
      const key = step.dataset.shot;
      const label = step.dataset.label;
      const several = step.dataset.several === "1";
      const input = step.querySelector("input[type=file]");
      const result = step.querySelector("[data-shot-result]");
      // The photos travel through composer:collect with their facts, not as this input.
      input.removeAttribute("name");
      input.hidden = true;
      let replacing = null;
      const take = element("button", "button button--primary capture-shot__take");
      take.type = "button";
      take.addEventListener("click", () => { replacing = null; input.click(); });
      input.after(take);
      buttons.set(key, take);
      // The server refused a photo of this shot (composer re-rendered after a refusal): that
      // photo is marked to retake, the others stay as taken.
      step.querySelectorAll("[data-shot-refusal]").forEach((line) => {
        const photo = (kept[key] || [])[Number(line.dataset.shotRefusal)];
        if (!photo) return;
        photo.problems = [line.textContent.replace(/^Refusée à l'envoi : /, "")];
        line.remove();
      });

      // A retake answers the server's refusal of this shot: its line in the form's errors goes.
      function dropStaleError() {
        const banner = form.querySelector("[data-form-errors]");
        if (!banner) return;
        banner.querySelectorAll("p").forEach((line) => {
          if (line.textContent.startsWith(`« ${label} » :`)) line.remove();
        });
        if (!banner.querySelector("p")) banner.remove();
      }

      function render() {
        const photos = kept[key] || [];
        result.replaceChildren();
        photos.forEach((photo, position_) => {
          const box = element("div", "capture-shot__photo");
          if (photo.measures) {
            // The phone's figures, for support and for the test comparing them with Pillow's.
            box.dataset.luminance = photo.measures.luminance.toFixed(1);
            box.dataset.sharpness = photo.measures.sharpness.toFixed(1);
          }
          const image = element("img");
          image.src = photo.url;
          image.alt = `Aperçu : ${label}`;
          const side = element("div");
          const verdict = element("p", `capture-shot__verdict capture-shot__verdict--${good(photo) ? "ok" : "bad"}`);
          if (!good(photo)) {
            verdict.textContent = `Refusée : ${photo.problems[0]}`;
            verdict.setAttribute("role", "alert");
          } else {
            verdict.textContent = photo.checked
              ? "Photo conforme : assez nette, lumineuse et grande."
              : "Photo gardée : elle sera vérifiée à l'envoi.";
          }
          const actions = element("p", "capture-shot__actions");
          const retake = element("button", "button", "Reprendre");
          retake.type = "button";
          retake.setAttribute("aria-label", `Reprendre la photo ${label}`);
          retake.addEventListener("click", () => { replacing = position_; input.click(); });
          actions.append(retake);
          if (several || !good(photo)) {
            const remove = element("button", "button button--link", "Retirer");
            remove.type = "button";
            remove.setAttribute("aria-label", `Retirer la photo ${label}`);
            remove.addEventListener("click", () => {
              URL.revokeObjectURL(photo.url);
              photo.reading = null;
              photos.splice(position_, 1);
              dropStaleError();
              render();
              take.focus();
            });
            actions.append(remove);
          }
          side.append(verdict);
          if (photo.reading) {
            const ok = photo.reading.ok;
            const read = element("p", `capture-shot__reading${ok === true ? " capture-shot__reading--ok" : ok === false ? " capture-shot__reading--bad" : ""}`, photo.reading.text);
            read.dataset.plateReading = ok === true ? "ok" : ok === false ? "different" : "pending";
            side.append(read);
          }
          side.append(actions);
          box.append(image, side);
          result.append(box);
        });
        const word = photos.length === 0 ? "Prendre la photo" : several ? "Ajouter une photo" : "Reprendre la photo";
        take.textContent = word;
        take.setAttribute("aria-label", `${word} : ${label}`);
        take.hidden = photos.length > 0 && !several;
        step.dataset.state = photos.length === 0 ? "todo" : photos.every(good) ? "done" : "refused";
        updateMissing();
      }

      input.addEventListener("change", async () => {
        const files = Array.from(input.files);
        input.value = "";
        if (!files.length) return;
        result.setAttribute("aria-busy", "true");
        const fresh = await Promise.all(files.map(async (file) => {
          const measures = await measure(file, limits);
          return {
            file,
            url: URL.createObjectURL(file),
            shot: key,
            // The file's own time: the camera's moment for a new photo.
            captured_at: new Date(file.lastModified || Date.now()).toISOString(),
            latitude: position ? String(position.latitude) : "",
            longitude: position ? String(position.longitude) : "",
            sha256: await sha256(file),
            checked: measures !== null,
            measures,
            problems: measures ? problemsOf(measures, limits) : [],
          };
        }));
        result.removeAttribute("aria-busy");
        const photos = kept[key] || [];
        if (replacing !== null) {
          if (photos[replacing]) photos[replacing].reading = null;
          photos.splice(replacing, 1, ...fresh);
          replacing = null;
        } else if (several) {
          photos.push(...fresh);
        } else {
          photos.forEach((old) => { old.reading = null; });
          photos.splice(0, photos.length, fresh[0]);
        }
        kept[key] = photos;
        dropStaleError();
        render();
        if (readingUrl && step.hasAttribute("data-read-plate") && good(fresh[0]) && csrfInput) {
          readPlate(readingUrl, csrfInput.value, fresh[0], render);
        }
        // A good shot: straight on to the next one still to take.
        if (fresh.every(good)) {
          const next = steps.slice(index + 1).find((other) => !(kept[other.dataset.shot] || []).length);
          const nextButton = next && buttons.get(next.dataset.shot);
          if (nextButton) nextButton.focus();
        } else {
          const retake = result.querySelector("button");
          if (retake) retake.focus();
        }
      });
      renders.set(key, render);
      render();
    });

    // A refused queued message reopened here (composer.js): its shots as they were taken, to
    // be checked again at the send.
    form.addEventListener("composer:restore", (event) => {
      event.detail.photos.forEach((photo) => {
        if (!renders.has(photo.shot)) return;
        kept[photo.shot] = kept[photo.shot] || [];
        kept[photo.shot].push({
          ...photo, url: URL.createObjectURL(photo.file), checked: false, measures: null, problems: [],
        });
      });
      renders.forEach((render) => render());
    });

    form.addEventListener("composer:collect", (event) => {
      const labels = missing();
      if (labels.length) {
        event.preventDefault();
        if (missingLine) {
          missingLine.textContent = `Photos obligatoires manquantes : ${labels.join(", ")}.`;
          missingLine.setAttribute("role", "alert");
        }
        const first = steps.find((step) => step.dataset.label === labels[0]);
        const button = first && buttons.get(first.dataset.shot);
        if (button) button.focus();
        return;
      }
      steps.forEach((step) => {
        (kept[step.dataset.shot] || []).filter(good).forEach((photo) => event.detail.items.push(photo));
      });
    });
  }

  document.addEventListener("composer:init", (event) => init(event.target));
})();
